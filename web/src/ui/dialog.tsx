// Modal dialogs: the frame (focus in on open, back on close, Escape or the backdrop closes it), the
// confirmation that runs a destructive action and stays open with the API's refusal if it fails, and
// the state of a page's dialogs with the buttons that open them.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useAction } from "../query";
import { ActionError, Buttons, type ButtonSpec } from "./feedback";

export function Dialog({
  title,
  onClose,
  children,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>(
      "input, select, textarea, button:not(.dialog-close)",
    );
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, []);
  return (
    <div class="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class={`dialog${wide ? " dialog--wide" : ""}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        ref={box}
      >
        <div class="dialog-head">
          <h2>{title}</h2>
          <button type="button" class="dialog-close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/** What a page gives the dialog that deletes a thing: how to close it, and what to do once it is gone. */
export type DeleteProps = { onClose: () => void; onDeleted: () => void };

type ConfirmProps = {
  title: string;
  message: ComponentChildren;
  /** The button; by default the title's question as a command ("Delete meter?" → "Delete meter"). */
  confirmLabel?: string;
  /** The action; the button is disabled while it runs, and a refusal is shown in the dialog. */
  onConfirm: () => Promise<unknown>;
  /** Paths whose cached lists the action changes. */
  invalidates: string[];
  onDone: () => void;
  onCancel: () => void;
};

export function ConfirmDialog({
  title,
  message,
  confirmLabel = title.replace(/\?$/, ""),
  onConfirm,
  invalidates,
  onDone,
  onCancel,
}: ConfirmProps) {
  const action = useAction(onConfirm, { invalidates, onDone });
  return (
    <Dialog title={title} onClose={onCancel}>
      <div class="dialog-body">{message}</div>
      <ActionError error={action.error} />
      <div class="form-actions">
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="btn btn--danger" disabled={action.busy} onClick={() => action.run()}>
          {action.busy ? "Working…" : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * Which of a page's dialogs is open (one at a time) and the buttons that open them, in the order given:
 * `{ edit: ["Edit meter"], delete: ["Delete meter", "danger"] }`. Without `can` there are no buttons.
 */
export function usePageDialogs<K extends string>(
  dialogs: Record<K, [label: string, tone?: ButtonSpec[2]]>,
  can: boolean,
) {
  const [open, setOpen] = useState<K | null>(null);
  const entries = Object.entries(dialogs) as [K, [string, ButtonSpec[2]?]][];
  const items = entries.map(([key, [label, tone]]): ButtonSpec => [label, () => setOpen(key), tone]);
  return { open, close: () => setOpen(null), buttons: can ? <Buttons items={items} /> : null };
}

/**
 * A dialog that a primary button opens, where the button may stand in two places (a page's header and
 * its empty list): whether it is open, the button with a given label, and the dialog's close.
 */
export function useOpener() {
  const [open, setOpen] = useState(false);
  const button = (label: string) => (
    <button type="button" class="btn btn--primary" onClick={() => setOpen(true)}>
      {label}
    </button>
  );
  return { open, button, close: () => setOpen(false) };
}
