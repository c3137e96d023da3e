'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { sanitizeCallbackUrl } from '@/lib/auth/callback-url';

const INVALID_CREDENTIALS = 'The email or password is wrong, or the account is deactivated.';

/** Messages for the `error` codes next-auth v4 puts in the sign-in URL. */
function errorMessage(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code === 'CredentialsSignin') return INVALID_CREDENTIALS;
  if (code === 'SessionRequired') return 'Sign in to see this page.';
  return 'Sign-in failed. Try again, and ask an administrator to check the server log if it keeps failing.';
}

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(errorMessage(initialError));
  const [pending, setPending] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(undefined);

    const result = await signIn('credentials', { email, password, redirect: false });
    if (!result || result.error || !result.ok) {
      setError(result?.error === 'CredentialsSignin' || result?.status === 401 ? INVALID_CREDENTIALS : errorMessage(result?.error ?? 'unknown'));
      setPending(false);
      return;
    }
    // A full navigation, so the server renders the target page with the new session cookie.
    window.location.assign(sanitizeCallbackUrl(callbackUrl));
  }

  return (
    <form onSubmit={handleSubmit} className="space-y-4 rounded-tremor-default border border-tremor-border bg-white p-6 shadow-tremor-card">
      <div>
        <label htmlFor="email" className="block text-tremor-default font-medium text-tremor-content-strong">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          className="mt-1 block w-full rounded-tremor-small border-tremor-border text-tremor-default shadow-tremor-input focus:border-tremor-brand focus:ring-tremor-brand"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-tremor-default font-medium text-tremor-content-strong">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          className="mt-1 block w-full rounded-tremor-small border-tremor-border text-tremor-default shadow-tremor-input focus:border-tremor-brand focus:ring-tremor-brand"
        />
      </div>
      {error ? (
        <p role="alert" className="text-tremor-default text-red-700">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-tremor-default bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-tremor-brand-inverted hover:bg-tremor-brand-emphasis disabled:opacity-60"
      >
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
