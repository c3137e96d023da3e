import Link from 'next/link';
import { NavLinks } from '@/components/nav/nav-links';
import { SignOutButton } from '@/components/nav/sign-out-button';

export function TopNav({ email }: { email: string }) {
  return (
    <header className="border-b border-tremor-border bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-4 px-4 py-3">
        <div className="flex items-center gap-6">
          <Link href="/" className="text-lg font-semibold text-tremor-content-strong">
            Riskboard
          </Link>
          <NavLinks />
        </div>
        <div className="flex items-center gap-3">
          <span className="text-tremor-default text-tremor-content" title="Signed in as">
            {email}
          </span>
          <SignOutButton />
        </div>
      </nav>
    </header>
  );
}
