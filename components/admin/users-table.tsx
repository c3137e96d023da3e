'use client';

import { Badge, Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiRequest } from '@/components/api-clients/api-request';
import { DateTime } from '@/components/ui/date-time';
import type { AdminUserRow } from '@/lib/auth/user-admin';

/** Users with buttons to deactivate or reactivate them and to turn their API access on or off. */
export function UsersTable({ users, currentUserId }: { users: AdminUserRow[]; currentUserId: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pendingId, setPendingId] = useState<number | null>(null);

  async function update(user: AdminUserRow, change: { active?: boolean; apiAccess?: boolean }) {
    setPendingId(user.id);
    setError(null);
    try {
      await apiRequest(`/api/v1/admin/users/${user.id}`, { method: 'PATCH', body: change });
      router.refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPendingId(null);
    }
  }

  return (
    <>
      {error ? (
        <p role="alert" className="mb-4 text-tremor-default text-red-700">
          {error}
        </p>
      ) : null}
      <Table>
        <TableHead>
          <TableRow>
            <TableHeaderCell>Email</TableHeaderCell>
            <TableHeaderCell>Role</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>API access</TableHeaderCell>
            <TableHeaderCell>Last sign-in</TableHeaderCell>
            <TableHeaderCell>Actions</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {users.map((user) => (
            <TableRow key={user.id} data-testid={`user-row-${user.email}`}>
              <TableCell className="font-medium text-tremor-content-strong">{user.email}</TableCell>
              <TableCell>{user.role}</TableCell>
              <TableCell>
                <Badge size="xs" color={user.active ? 'emerald' : 'gray'}>
                  {user.active ? 'active' : 'deactivated'}
                </Badge>
              </TableCell>
              <TableCell>{user.apiAccess ? 'on' : 'off'}</TableCell>
              <TableCell>
                <DateTime iso={user.lastSignInAt} />
              </TableCell>
              <TableCell>
                <div className="flex gap-2">
                  <Button
                    size="xs"
                    variant="secondary"
                    type="button"
                    disabled={user.id === currentUserId || pendingId === user.id}
                    title={user.id === currentUserId ? 'You cannot deactivate your own account' : undefined}
                    onClick={() => update(user, { active: !user.active })}
                  >
                    {user.active ? 'Deactivate' : 'Reactivate'}
                  </Button>
                  <Button size="xs" variant="secondary" type="button" disabled={pendingId === user.id} onClick={() => update(user, { apiAccess: !user.apiAccess })}>
                    {user.apiAccess ? 'Turn off API access' : 'Turn on API access'}
                  </Button>
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
