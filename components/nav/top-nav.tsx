import Link from 'next/link';
import { NavLinks } from '@/components/nav/nav-links';
import { ProfileMenu } from '@/components/nav/profile-menu';

export function TopNav({ email, showUsers }: { email: string; showUsers: boolean }) {
  // On narrow screens the links move to a second row that scrolls sideways, so the bar never
  // makes the page wider than the screen.
  return (
    <header className="border-b border-tremor-border bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="order-1 text-lg font-semibold text-tremor-content-strong">
          Riskboard
        </Link>
        <div className="order-3 -mx-4 w-[calc(100%+2rem)] overflow-x-auto px-4 lg:order-2 lg:mx-0 lg:w-auto lg:flex-1 lg:px-0">
          <NavLinks />
        </div>
        <div className="order-2 ml-auto flex min-w-0 items-center gap-3 lg:order-3">
          <ProfileMenu email={email} showUsers={showUsers} />
        </div>
      </nav>
    </header>
  );
}
