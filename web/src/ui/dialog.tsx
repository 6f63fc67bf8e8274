// Modal dialogs: the frame (focus in on open, back on close, Escape or the backdrop closes it) and the
// confirmation that runs a destructive action and stays open with the API's refusal if it fails.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { useAction } from "../query";

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

type ConfirmProps = {
  title: string;
  message: ComponentChildren;
  confirmLabel: string;
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
  confirmLabel,
  onConfirm,
  invalidates,
  onDone,
  onCancel,
}: ConfirmProps) {
  const action = useAction(onConfirm, { invalidates, onDone });
  return (
    <Dialog title={title} onClose={onCancel}>
      <div class="dialog-body">{message}</div>
      {action.error && (
        <p class="form-error" role="alert">
          {action.error.message}
        </p>
      )}
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
