import { Card, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { ClientManager } from '@/components/api-clients/client-manager';
import { PageHeading } from '@/components/ui/states';
import { getClientOwner, listClients, ownerGrants } from '@/lib/api-access/clients';
import { MODULES, MODULE_LABELS, hasPermission } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Profile' };

const TABS = [
  { id: 'profile', label: 'Profile' },
  { id: 'clients', label: 'Auth ID Client Management' },
] as const;

interface ProfilePageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function ProfilePage({ searchParams }: ProfilePageProps) {
  const { db, user } = await requireSession();
  const tab = (await searchParams).tab === 'clients' ? 'clients' : 'profile';
  const owner = await getClientOwner(db, user.id);
  const held = owner ? ownerGrants(owner) : undefined;

  return (
    <>
      <PageHeading title="Profile" />
      <nav aria-label="Profile sections" className="mb-6 flex gap-2 border-b border-tremor-border">
        {TABS.map((item) => (
          <Link
            key={item.id}
            href={item.id === 'profile' ? '/profile' : '/profile?tab=clients'}
            aria-current={tab === item.id ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-tremor-default font-medium ${
              tab === item.id ? 'border-tremor-brand text-tremor-brand-emphasis' : 'border-transparent text-tremor-content-emphasis hover:text-tremor-content-strong'
            }`}
          >
            {item.label}
          </Link>
        ))}
      </nav>

      {tab === 'clients' && held ? <ClientManager clients={await listClients(db, user.id)} held={held} /> : null}

      {tab === 'profile' && held ? (
        <Card>
          <dl className="mb-6 grid max-w-md grid-cols-2 gap-2 text-tremor-default">
            <dt className="font-medium">Email</dt>
            <dd>{user.email}</dd>
            <dt className="font-medium">Role</dt>
            <dd>{user.role}</dd>
            <dt className="font-medium">API access</dt>
            <dd>{held.access.api ? 'on' : 'off (an administrator turned it off)'}</dd>
          </dl>
          <h2 className="mb-2 text-tremor-title font-medium text-tremor-content-strong">Your permissions</h2>
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell>Module</TableHeaderCell>
                <TableHeaderCell>Read</TableHeaderCell>
                <TableHeaderCell>Write</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {MODULES.map((moduleName) => (
                <TableRow key={moduleName}>
                  <TableCell>{MODULE_LABELS[moduleName]}</TableCell>
                  <TableCell>{hasPermission(held, moduleName, 'read') ? 'yes' : 'no'}</TableCell>
                  <TableCell>{hasPermission(held, moduleName, 'write') ? 'yes' : 'no'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
    </>
  );
}
