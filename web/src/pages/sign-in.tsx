// Sign in with email and password.
import { useState } from "preact/hooks";
import { api, type ApiError, type User } from "../api";
import { asApiError, Field, fieldError, FormError } from "../ui/form";

export function SignInPage({ onSignedIn }: { onSignedIn: (u: User) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.post("/api/auth/login", { body: { email: email.trim(), password } }));
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }

  return (
    <div class="signin">
      <form class="signin-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <div class="signin-brand">
          <span class="brand-mark" aria-hidden="true">
            ⚡
          </span>
          <span>Eclectyc Energy</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p class="muted">Energy data for your sites and meters.</p>
        <Field label="Email" error={fieldError(error, "email")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Password" error={fieldError(error, "password")}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <FormError error={error} fields={["email", "password"]} />
        <button type="submit" class="btn btn--primary btn--block" disabled={busy || !email || !password}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
