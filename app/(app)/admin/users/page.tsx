import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { UsersTable } from '@/components/admin/users-table';
import { PageHeading } from '@/components/ui/states';
import { ROLE_GRANTS, hasPermission } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { listUsersForAdmin } from '@/lib/auth/user-admin';

export const metadata: Metadata = { title: 'Users' };

export default async function AdminUsersPage() {
  const { db, user } = await requireSession();
  if (!hasPermission(ROLE_GRANTS[user.role], 'administration', 'read')) {
    return (
      <>
        <PageHeading title="Users" />
        <p className="text-tremor-default">Managing users needs the administration permission, which your role ({user.role}) does not hold. Ask an admin.</p>
      </>
    );
  }

  return (
    <>
      <PageHeading title="Users" />
      <Card>
        <p className="mb-4 text-tremor-default">
          A deactivated user can neither sign in nor use any API token, from the next request on. With API access off, the user&apos;s clients get 403 from the API.
        </p>
        <UsersTable users={await listUsersForAdmin(db)} currentUserId={user.id} />
      </Card>
    </>
  );
}
