import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { sanitizeCallbackUrl } from '@/lib/auth/callback-url';
import { getSignInPageState } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

interface SignInPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SignInPage({ searchParams }: SignInPageProps) {
  const query = await searchParams;
  const callbackUrl = sanitizeCallbackUrl(query.callbackUrl);
  const state = await getSignInPageState();
  if (state.signedIn) redirect(callbackUrl);

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <h1 className="mb-6 text-center text-2xl font-semibold text-tremor-content-strong">Sign in to Riskboard</h1>
        {state.setupNeeded ? (
          <p role="status" className="mb-4 rounded-tremor-default border border-amber-300 bg-amber-50 p-3 text-tremor-default text-amber-900">
            No user exists yet. Set RISKBOARD_ADMIN_EMAIL and RISKBOARD_ADMIN_PASSWORD (12 characters or more) and restart the
            server; the first sign-in with them creates the admin.
          </p>
        ) : null}
        <SignInForm callbackUrl={callbackUrl} initialError={typeof query.error === 'string' ? query.error : undefined} />
      </div>
    </main>
  );
}
