import Link from 'next/link';
import { NavLinks } from '@/components/nav/nav-links';
import { ProfileMenu } from '@/components/nav/profile-menu';

export function TopNav({ email, showUsers }: { email: string; showUsers: boolean }) {
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
          <ProfileMenu email={email} showUsers={showUsers} />
        </div>
      </nav>
    </header>
  );
}
