// Sign in with email and password.
import { api, type User } from "../api";
import { useAction } from "../query";
import { Form, TextField, useFormState } from "../ui/form";

export function SignInPage({ onSignedIn }: { onSignedIn: (u: User) => void }) {
  const { values, bind } = useFormState({ email: "", password: "" });
  const signIn = useAction(
    () => api.post("/api/auth/login", { body: { email: values.email.trim(), password: values.password } }),
    { onDone: onSignedIn },
  );

  return (
    <div class="signin">
      <Form
        action={signIn}
        class="signin-card"
        labelledBy="signin-title"
        submitLabel="Sign in"
        busyLabel="Signing in…"
        submitClass="btn btn--primary btn--block"
        canSubmit={Boolean(values.email && values.password)}
      >
        <div class="signin-brand">
          <span class="brand-mark" aria-hidden="true">
            ⚡
          </span>
          <span>Eclectyc Energy</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p class="muted">Energy data for your sites and meters.</p>
        <TextField label="Email" type="email" autoComplete="username" {...bind("email")} />
        <TextField label="Password" type="password" autoComplete="current-password" {...bind("password")} />
      </Form>
    </div>
  );
}
