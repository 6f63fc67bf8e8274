// A secret the API shows only once (a new API token, a webhook signing secret): a warning to copy it
// now, the secret with a copy button, how to use it, and a button that confirms it was copied.
import type { ComponentChildren } from "preact";
import { CopyButton } from "./copy-button";
import type { Action } from "../query";
import { Dialog } from "./dialog";
import { Form, TextField } from "./form";

export function OneTimeSecret({
  title,
  warning,
  secret,
  copyLabel,
  testid,
  onClose,
  children,
}: {
  title: string;
  warning: ComponentChildren;
  secret: string;
  copyLabel: string;
  testid: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <div class="notice notice--warn" role="alert">
        <p>{warning}</p>
      </div>
      <div class="secret" data-testid={testid}>
        <code>{secret}</code>
        <CopyButton value={secret} label={copyLabel} />
      </div>
      {children}
      <div class="form-actions">
        <button type="button" class="btn btn--primary" onClick={onClose}>
          I have copied it
        </button>
      </div>
    </Dialog>
  );
}

type SecretProps = Omit<Parameters<typeof OneTimeSecret>[0], "onClose">;

/**
 * Creating a thing that comes with a secret (an API token, a webhook source): a form that needs a name
 * and the fields given as children, then, once the API has answered, its secret shown once.
 */
export function NewWithSecretDialog<R>({
  title,
  submitLabel,
  testid,
  action,
  name,
  nameHint,
  secret,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  testid?: string;
  action: Action<void, R>;
  /** The name field, bound by useFormState: `bind("name")`. */
  name: { name: string; value: string; onValue: (value: string) => void };
  nameHint: string;
  /** The one-time secret dialog for what was created. */
  secret: (created: R) => SecretProps;
  onClose: () => void;
  children: ComponentChildren;
}) {
  if (action.result) return <OneTimeSecret {...secret(action.result)} onClose={onClose} />;
  return (
    <Dialog title={title} onClose={onClose}>
      <Form
        action={action}
        testid={testid}
        submitLabel={submitLabel}
        busyLabel="Creating…"
        canSubmit={Boolean(name.value.trim())}
        onCancel={onClose}
      >
        <TextField label="Name" hint={nameHint} maxLength={100} {...name} />
        {children}
      </Form>
    </Dialog>
  );
}
