'use client';

import { useActionState } from 'react';
import { logIn, type LoginState } from './actions';

const initialState: LoginState = { error: null };

// A client component only for the error message; the form itself posts natively,
// so logging in works before hydration and without JavaScript.
export function LoginForm({ token, next }: { token: string; next: string }) {
  const [state, action, pending] = useActionState(logIn, initialState);
  return (
    <form action={action} style={{ display: 'grid', gap: 8, maxWidth: '32rem' }}>
      <input type="hidden" name="next" value={next} />
      <label htmlFor="editor-token" style={{ fontWeight: 600 }}>
        Editor token
      </label>
      <input
        id="editor-token"
        name="token"
        type="password"
        required
        defaultValue={token}
        autoComplete="current-password"
        autoCapitalize="none"
        spellCheck={false}
        aria-invalid={state.error ? true : undefined}
        aria-describedby={state.error ? 'login-error' : undefined}
        style={{
          font: 'inherit',
          width: '100%',
          padding: '6px 8px',
          border: '1px solid var(--line)',
          borderRadius: 4,
        }}
      />
      {state.error && (
        <p id="login-error" className="notice" role="alert" style={{ margin: 0 }}>
          {state.error}
        </p>
      )}
      <div>
        <button className="button" type="submit" disabled={pending}>
          Log in
        </button>
      </div>
    </form>
  );
}
