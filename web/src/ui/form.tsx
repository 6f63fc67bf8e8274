// Form pieces: a labelled field with its error beneath, the form-level error banner, and the
// mapping from an API error to the field it names.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../api";

let nextId = 0;
export function useFieldId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++nextId}`);
  return id;
}

type FieldProps = {
  label: string;
  error?: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ComponentChildren;
};

/** A label, the control (given its id and aria-describedby), a hint and the error under it. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useFieldId("f");
  const describedBy = error ? `${id}-err` : hint ? `${id}-hint` : undefined;
  return (
    <div class={`field${error ? " field--invalid" : ""}`}>
      <label for={id}>{label}</label>
      {children(id, describedBy)}
      {hint && !error && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The message of an API error that names no field of this form, shown above the buttons. */
export function FormError({ error, fields = [] }: { error?: ApiError | null; fields?: string[] }) {
  if (!error || (error.field && fields.includes(error.field))) return null;
  return (
    <p class="form-error" role="alert" data-testid="form-error">
      {error.message}
    </p>
  );
}

/** The error message for one field, if the API named it. */
export function fieldError(error: ApiError | null | undefined, field: string): string | undefined {
  return error && error.field === field ? error.message : undefined;
}

export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, "client", String(err));
}
