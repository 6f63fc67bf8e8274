// A secret the API shows only once (a new API token, a webhook signing secret): a warning to copy it
// now, the secret with a copy button, how to use it, and a button that confirms it was copied.
import type { ComponentChildren } from "preact";
import { CopyButton } from "./copy-button";
import { Dialog } from "./dialog";

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
