import type { ReactNode } from 'react';
import { TopNav } from '@/components/nav/top-nav';
import { ROLE_GRANTS, hasPermission } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const { user } = await requireSession();
  return (
    <>
      <TopNav email={user.email} showUsers={hasPermission(ROLE_GRANTS[user.role], 'administration', 'read')} />
      <main className="mx-auto max-w-7xl px-4 py-8">{children}</main>
    </>
  );
}
