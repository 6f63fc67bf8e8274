// Forms that send one action: the <Form> runs it, disables its button while it runs and shows the API's
// refusal under the field the error names (`error.field`), or above the buttons when it names no field
// of this form. Fields take their error from the form by name, so a page wires a field once.
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { isOneOf } from "../../../src/enums";
import type { ApiError } from "../api";
import type { Action } from "../query";
import { Dialog } from "./dialog";

type FormState = { error: ApiError | null; names: Set<string> };
const FormContext = createContext<FormState | null>(null);

let nextId = 0;
function useFieldId(): string {
  const [id] = useState(() => `f-${++nextId}`);
  return id;
}

/** The error message for one field, if the API named it. */
export function fieldError(error: ApiError | null | undefined, field: string): string | undefined {
  return error && error.field === field ? error.message : undefined;
}

type FormProps = {
  action: Pick<Action<void, unknown>, "run" | "busy" | "error">;
  submitLabel: string;
  busyLabel?: string;
  /** A Cancel (or `cancelLabel`) button before the submit button. */
  onCancel?: () => void;
  cancelLabel?: string;
  canSubmit?: boolean;
  /** Buttons before the others, e.g. "Cancel upload". */
  extraActions?: ComponentChildren;
  submitClass?: string;
  class?: string;
  testid?: string;
  labelledBy?: string;
  /** Fields whose errors the page shows itself, outside a <Field>. */
  ownErrors?: string[];
  children: ComponentChildren;
};

export function Form({
  action,
  submitLabel,
  busyLabel = "Saving…",
  onCancel,
  cancelLabel = "Cancel",
  canSubmit = true,
  extraActions,
  submitClass = "btn btn--primary",
  class: className,
  testid,
  labelledBy,
  ownErrors = [],
  children,
}: FormProps) {
  // The fields register their names while they render, before <FormError> below them does.
  const names = useRef(new Set<string>(ownErrors)).current;
  return (
    <FormContext.Provider value={{ error: action.error, names }}>
      <form
        class={className}
        noValidate
        data-testid={testid}
        aria-labelledby={labelledBy}
        onSubmit={(e) => {
          e.preventDefault();
          if (canSubmit && !action.busy) void action.run();
        }}
      >
        {children}
        <FormError />
        <div class="form-actions">
          {extraActions}
          {onCancel && (
            <button type="button" class="btn" onClick={onCancel}>
              {cancelLabel}
            </button>
          )}
          <button type="submit" class={submitClass} disabled={!canSubmit || action.busy}>
            {action.busy ? busyLabel : submitLabel}
          </button>
        </div>
      </form>
    </FormContext.Provider>
  );
}

/** What a page gives the dialog that creates or edits a thing: how to close it, and what to do once saved. */
export type EditorProps = { onClose: () => void; onSaved?: (id: number) => void };

/**
 * A dialog around the form that creates a thing or edits one: "New site" and "Create site", or, given
 * what it edits, "Edit Head office" and "Save changes" (or `saveLabel`). The form's test id is "site-form".
 */
export function EditorDialog({
  noun,
  editing,
  saveLabel = "Save changes",
  onClose,
  wide,
  testid = `${noun}-form`,
  ...form
}: Omit<FormProps, "submitLabel" | "onCancel"> & {
  noun: string;
  /** The name of what is edited; none when creating. */
  editing?: string;
  saveLabel?: string;
  onClose: () => void;
  wide?: boolean;
}) {
  return (
    <Dialog title={editing ? `Edit ${editing}` : `New ${noun}`} onClose={onClose} wide={wide}>
      <Form
        submitLabel={editing ? saveLabel : `Create ${noun}`}
        onCancel={onClose}
        testid={testid}
        {...form}
      />
    </Dialog>
  );
}

/** The form's error when it names no field shown in the form. */
function FormError() {
  const form = useContext(FormContext);
  const error = form?.error;
  if (!error || (error.field && form.names.has(error.field))) return null;
  return (
    <p class="form-error" role="alert" data-testid="form-error">
      {error.message}
    </p>
  );
}

type FieldProps = {
  label: string;
  /** The request field this control sends; the API's error for it shows here. */
  name?: string;
  hint?: ComponentChildren;
  /** An error found before sending (a local check); wins over the API's. */
  error?: string;
};

/** A label, any control (given its id, aria-describedby and whether it is invalid), a hint and the error. */
export function Field({
  label,
  name,
  hint,
  error,
  children,
}: FieldProps & {
  children: (id: string, describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const form = useContext(FormContext);
  if (name) form?.names.add(name);
  const message = error ?? (name ? fieldError(form?.error, name) : undefined);
  const id = useFieldId();
  const describedBy = message ? `${id}-err` : hint ? `${id}-hint` : undefined;
  return (
    <div class={`field${message ? " field--invalid" : ""}`}>
      <label for={id}>{label}</label>
      {children(id, describedBy, Boolean(message))}
      {hint && !message && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {message && (
        <p class="field-error" id={`${id}-err`} role="alert">
          {message}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = FieldProps & {
  value: string;
  onValue: (value: string) => void;
  /** A textarea of this many rows instead of an input. */
  rows?: number;
  type?: "text" | "email" | "password";
  inputMode?: "numeric" | "decimal" | "text";
  autoComplete?: string;
  maxLength?: number;
  disabled?: boolean;
  spellcheck?: boolean;
  class?: string;
  onBlur?: () => void;
  testid?: string;
};

export function TextField({
  label,
  name,
  hint,
  error,
  value,
  onValue,
  rows,
  testid,
  type = "text",
  ...input
}: TextFieldProps) {
  return (
    <Field {...{ label, name, hint, error }}>
      {(id, describedBy, invalid) => {
        const common = {
          id,
          "aria-describedby": describedBy,
          "aria-invalid": invalid || undefined,
          value,
          onInput: (e: { currentTarget: { value: string } }) => onValue(e.currentTarget.value),
        };
        return rows ? (
          <textarea {...common} rows={rows} class={input.class} spellcheck={input.spellcheck} />
        ) : (
          // Preact types each input type's attributes apart and cannot check a union of types at once.
          <input {...common} data-testid={testid} type={type as "text"} {...input} />
        );
      }}
    </Field>
  );
}

export type Option = { value: string; label: string };

export function SelectField({
  value,
  onValue,
  options,
  disabled,
  ...field
}: FieldProps & { value: string; onValue: (value: string) => void; options: Option[]; disabled?: boolean }) {
  return (
    <Field {...field}>
      {(id, describedBy) => <Select {...{ id, describedBy, value, onValue, options, disabled }} />}
    </Field>
  );
}

export function CheckField({
  checked,
  onValue,
  children,
}: {
  checked: boolean;
  onValue: (checked: boolean) => void;
  children: ComponentChildren;
}) {
  return (
    <label class="check">
      <input type="checkbox" checked={checked} onChange={(e) => onValue(e.currentTarget.checked)} />
      <span>{children}</span>
    </label>
  );
}

/** Options from named things ({id, name}), with an optional first entry for "none". */
export function optionsOf(items: { id: number; name: string }[], none?: string): Option[] {
  const list = items.map((i) => ({ value: String(i.id), label: i.name }));
  return none === undefined ? list : [{ value: "", label: none }, ...list];
}

const capitalised = (value: string) => value[0].toUpperCase() + value.slice(1);

/**
 * Options from an enumeration's values (src/enums.ts), in its order, each labelled by `labels` or by
 * the value with a capital. A record of labels must name every value, so a new one cannot be missed.
 */
export function optionsOfEnum<T extends string>(values: readonly T[], labels?: Record<T, string>): Option[] {
  return values.map((value) => ({ value, label: labels?.[value] ?? capitalised(value) }));
}

/** A bare select (a filter above a list, a control in a card's head); `any` adds a first "" option. */
export function Select({
  label,
  value,
  onValue,
  options,
  any,
  id,
  describedBy,
  disabled,
}: {
  /** Its accessible name, when no <label> gives one. */
  label?: string;
  value: string;
  onValue: (value: string) => void;
  options: Option[];
  any?: string;
  /** In a <Field>: the id its label points at, and its hint's or error's id. */
  id?: string;
  describedBy?: string;
  disabled?: boolean;
}) {
  return (
    <select
      id={id}
      aria-label={label}
      aria-describedby={describedBy}
      disabled={disabled}
      value={value}
      onChange={(e) => onValue(e.currentTarget.value)}
    >
      {any !== undefined && <option value="">{any}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** A select with its label in front, in a line of controls (a card's head, a toolbar). */
export function InlineSelect(select: Parameters<typeof Select>[0] & { label: string }) {
  return (
    <label class="inline-field">
      {select.label} <Select {...select} />
    </label>
  );
}

/** A list's filter on one value of an enumeration (src/enums.ts), or "" for any. */
export function EnumFilter<T extends string>({
  label,
  any,
  values,
  value,
  onValue,
  labelOf = capitalised,
}: {
  label: string;
  any: string;
  values: readonly T[];
  value: T | "";
  onValue: (value: T | "") => void;
  labelOf?: (value: T) => string;
}) {
  return (
    <Select
      label={label}
      any={any}
      value={value}
      onValue={(v) => onValue(isOneOf(values, v) ? v : "")}
      options={values.map((v) => ({ value: v, label: labelOf(v) }))}
    />
  );
}

/** Options from a record of value → label, in its order. */
export const optionsFrom = (labels: Record<string, string>): Option[] =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

/** A value that follows another after a pause, so a search is sent once typing stops. */
function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** The search box above a list, and the search it holds once typing pauses (trimmed). */
export function useSearchBox(label: string, placeholder: string) {
  const [q, setQ] = useState("");
  const box = (
    <input
      type="search"
      class="search"
      placeholder={placeholder}
      aria-label={label}
      value={q}
      onInput={(e) => setQ(e.currentTarget.value)}
    />
  );
  return [useDebounced(q.trim()), box] as const;
}

type KeysOf<V, T> = { [K in keyof V]: V[K] extends T ? K : never }[keyof V] & string;

/**
 * A form's values in one object. `bind(key)` wires a field to one of them, and names the field after
 * it, so the key is the request field the API names in its errors. A value may be narrower than a
 * string (a Role, a Fuel): bind such a key only to a select whose options are that type's values.
 * `check(key)` wires a <CheckField> to a yes/no value, and `bindAs(key, show, read)` a text field or
 * select to a value of another type (a number, a date or null).
 */
export function useFormState<V extends Record<string, unknown>>(initial: V | (() => V)) {
  const [values, setValues] = useState(initial);
  const set = <K extends keyof V>(key: K, value: V[K]) => setValues((v) => ({ ...v, [key]: value }));
  const bind = <K extends KeysOf<V, string>>(key: K) => ({
    name: key,
    value: values[key] as string,
    onValue: (value: string) => set(key, value as V[K]),
  });
  const check = <K extends KeysOf<V, boolean>>(key: K) => ({
    checked: values[key] as boolean,
    onValue: (checked: boolean) => set(key, checked as V[K]),
  });
  const bindAs = <K extends keyof V & string>(
    key: K,
    show: (v: V[K]) => string,
    read: (text: string) => V[K],
  ) => ({
    name: key,
    value: show(values[key]),
    onValue: (text: string) => set(key, read(text)),
  });
  return { values, setValues, set, bind, check, bindAs };
}

/**
 * Wires text fields to the keys of one object inside a request (a list's row, a nested object): each
 * is named `${path}.${key}`, the request field the API names in its errors (`normalisers.2.value`).
 */
export function bindIn<T extends Record<string, unknown>>(
  path: string,
  value: T,
  onChange: (change: Partial<T>) => void,
) {
  return <K extends KeysOf<T, string>>(key: K) => ({
    name: `${path}.${key}`,
    value: value[key] as string,
    onValue: (text: string) => onChange({ [key]: text } as Partial<T>),
  });
}
