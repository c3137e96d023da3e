'use client';

import { Badge, Button, Card, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { DateTime } from '@/components/ui/date-time';
import type { ClientSummary } from '@/lib/api-access/clients';
import { MODULE_LABELS, PERMISSIONS, emptyGrants, hasPermission, type Grants, type Module, type Permission } from '@/lib/auth/permissions';
import { apiRequest } from './api-request';

/** Modules chosen together by "All modules"; dashboards and tagging have sections of their own. */
const GENERAL_MODULES = ['findings', 'assets', 'risk_acceptance', 'imports', 'attack', 'administration'] as const satisfies readonly Module[];

interface IssuedSecret {
  clientId: string;
  clientSecret: string;
  name: string;
}

function PermissionBoxes({ moduleName, grants, held, onChange, disabled }: { moduleName: Module; grants: Grants; held: Grants; onChange: (next: Grants) => void; disabled?: boolean }) {
  return (
    <div className="flex items-center gap-4">
      <span className="w-40 text-tremor-default text-tremor-content-strong">{MODULE_LABELS[moduleName]}</span>
      {PERMISSIONS.map((permission: Permission) => {
        const allowed = hasPermission(held, moduleName, permission);
        return (
          <label key={permission} className={`flex items-center gap-1 text-tremor-default ${allowed ? '' : 'opacity-50'}`}>
            <input
              type="checkbox"
              name={`${moduleName}:${permission}`}
              aria-label={`${MODULE_LABELS[moduleName]} ${permission}`}
              disabled={disabled || !allowed}
              checked={grants.modules[moduleName].includes(permission)}
              onChange={(event) => {
                const current = new Set(grants.modules[moduleName]);
                if (event.target.checked) current.add(permission);
                else current.delete(permission);
                onChange({ ...grants, modules: { ...grants.modules, [moduleName]: [...current] } });
              }}
            />
            {permission === 'read' ? 'Read' : 'Write'}
          </label>
        );
      })}
      {!hasPermission(held, moduleName, 'read') ? <span className="text-tremor-label text-tremor-content">Your role has no access</span> : null}
    </div>
  );
}

function NewClientForm({ held, onCreated, onCancel }: { held: Grants; onCreated: (issued: IssuedSecret) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [allModules, setAllModules] = useState(true);
  const [grants, setGrants] = useState<Grants>(() => {
    const initial = emptyGrants();
    initial.access.api = held.access.api;
    return initial;
  });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const submitted: Grants = { modules: { ...grants.modules }, access: { ...grants.access } };
    if (allModules) for (const moduleName of GENERAL_MODULES) submitted.modules[moduleName] = [...held.modules[moduleName]];
    try {
      const created = await apiRequest<{ client: ClientSummary; clientSecret: string }>('/api/v1/clients', {
        method: 'POST',
        body: { name, description: description || undefined, grants: submitted },
      });
      onCreated({ clientId: created.client.clientId, clientSecret: created.clientSecret, name: created.client.name });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <Card className="mb-6">
      <form onSubmit={handleSubmit} className="space-y-5" aria-label="New client">
        <h2 className="text-tremor-title font-medium text-tremor-content-strong">New client</h2>
        <label className="block text-tremor-default">
          Name
          <input required maxLength={100} name="name" value={name} onChange={(event) => setName(event.target.value)} className="mt-1 block w-full max-w-md rounded-tremor-default border-tremor-border" />
        </label>
        <label className="block text-tremor-default">
          Description
          <textarea maxLength={500} name="description" value={description} onChange={(event) => setDescription(event.target.value)} className="mt-1 block w-full max-w-md rounded-tremor-default border-tremor-border" />
        </label>

        <fieldset className="space-y-2">
          <legend className="font-medium text-tremor-content-strong">Modules</legend>
          <label className="flex items-center gap-2 text-tremor-default">
            <input type="radio" name="module-mode" checked={allModules} onChange={() => setAllModules(true)} />
            All modules, with every permission your role holds
          </label>
          <label className="flex items-center gap-2 text-tremor-default">
            <input type="radio" name="module-mode" checked={!allModules} onChange={() => setAllModules(false)} />
            Choose modules one by one
          </label>
          {!allModules ? (
            <div className="ml-6 space-y-1">
              {GENERAL_MODULES.map((moduleName) => (
                <PermissionBoxes key={moduleName} moduleName={moduleName} grants={grants} held={held} onChange={setGrants} />
              ))}
            </div>
          ) : null}
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="font-medium text-tremor-content-strong">Global permissions</legend>
          {(['api', 'ui'] as const).map((kind) => (
            <label key={kind} className={`flex items-center gap-2 text-tremor-default ${held.access[kind] ? '' : 'opacity-50'}`}>
              <input
                type="checkbox"
                name={`access:${kind}`}
                disabled={!held.access[kind]}
                checked={grants.access[kind]}
                onChange={(event) => setGrants({ ...grants, access: { ...grants.access, [kind]: event.target.checked } })}
              />
              Access: {kind === 'api' ? 'API access' : 'UI access'}
            </label>
          ))}
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="font-medium text-tremor-content-strong">Dashboard permissions</legend>
          <PermissionBoxes moduleName="dashboards" grants={grants} held={held} onChange={setGrants} />
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="font-medium text-tremor-content-strong">Tagging permissions</legend>
          <PermissionBoxes moduleName="tagging" grants={grants} held={held} onChange={setGrants} />
        </fieldset>

        {error ? (
          <p role="alert" className="text-tremor-default text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex gap-3">
          <Button type="submit" loading={pending}>
            Create client
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}

function SecretPanel({ issued, onDone }: { issued: IssuedSecret; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  async function copy(label: string, value: string) {
    await navigator.clipboard.writeText(value);
    setCopied(label);
  }
  return (
    <Card className="mb-6 border-l-4 border-amber-500" role="status" aria-label="Client secret">
      <h2 className="text-tremor-title font-medium text-tremor-content-strong">Client secret of {issued.name}</h2>
      <p className="mt-1 text-tremor-default">Copy the secret now: Riskboard stores only its hash and cannot show it again.</p>
      <dl className="mt-4 space-y-2 text-tremor-default">
        <div className="flex flex-wrap items-center gap-2">
          <dt className="w-28 font-medium">Client ID</dt>
          <dd>
            <code data-testid="client-id">{issued.clientId}</code>
          </dd>
          <Button size="xs" variant="secondary" type="button" onClick={() => copy('Client ID', issued.clientId)}>
            Copy
          </Button>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <dt className="w-28 font-medium">Client secret</dt>
          <dd>
            <code data-testid="client-secret" className="break-all">
              {issued.clientSecret}
            </code>
          </dd>
          <Button size="xs" variant="secondary" type="button" onClick={() => copy('Client secret', issued.clientSecret)}>
            Copy
          </Button>
        </div>
      </dl>
      {copied ? <p className="mt-2 text-tremor-label text-tremor-content">{copied} copied.</p> : null}
      <Button className="mt-4" type="button" onClick={onDone}>
        I have stored the secret
      </Button>
    </Card>
  );
}

/** Renders the "Auth ID Client Management" tab: the user's API clients, with create, rotate and revoke. */
export function ClientManager({ clients, held }: { clients: ClientSummary[]; held: Grants }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function rotate(client: ClientSummary) {
    if (!window.confirm(`Replace the secret of ${client.name}? Scripts using the old secret can no longer get tokens.`)) return;
    try {
      const rotated = await apiRequest<{ client: ClientSummary; clientSecret: string }>(`/api/v1/clients/${client.id}/rotate`, { method: 'POST' });
      setIssued({ clientId: rotated.client.clientId, clientSecret: rotated.clientSecret, name: rotated.client.name });
      router.refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  async function revoke(client: ClientSummary) {
    if (!window.confirm(`Revoke ${client.name}? Its secret and every token it holds stop working at once.`)) return;
    try {
      await apiRequest(`/api/v1/clients/${client.id}`, { method: 'DELETE' });
      router.refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <>
      {issued ? <SecretPanel issued={issued} onDone={() => setIssued(null)} /> : null}
      {creating ? (
        <NewClientForm
          held={held}
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setIssued(created);
            router.refresh();
          }}
        />
      ) : (
        <Button className="mb-6" type="button" onClick={() => setCreating(true)}>
          New Client
        </Button>
      )}
      {error ? (
        <p role="alert" className="mb-4 text-tremor-default text-red-700">
          {error}
        </p>
      ) : null}

      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Your clients</h2>
        {clients.length === 0 ? (
          <p className="text-tremor-default">You have no API clients yet. Create one for each integration, with only the modules it needs.</p>
        ) : (
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Client ID</TableHeaderCell>
                <TableHeaderCell>Created</TableHeaderCell>
                <TableHeaderCell>Last used</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Actions</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {clients.map((client) => (
                <TableRow key={client.id} data-testid={`client-row-${client.clientId}`}>
                  <TableCell className="font-medium text-tremor-content-strong">
                    {client.name}
                    {client.description ? <p className="whitespace-normal text-tremor-label font-normal text-tremor-content">{client.description}</p> : null}
                  </TableCell>
                  <TableCell>
                    <code>{client.clientId}</code>
                  </TableCell>
                  <TableCell>
                    <DateTime iso={client.createdAt} />
                  </TableCell>
                  <TableCell>{client.lastUsedAt ? <DateTime iso={client.lastUsedAt} /> : 'Never'}</TableCell>
                  <TableCell>
                    <Badge size="xs" color={client.status === 'active' ? 'emerald' : 'gray'}>
                      {client.status}
                    </Badge>
                  </TableCell>
                  <TableCell>
                    {client.status === 'active' ? (
                      <div className="flex gap-2">
                        <Button size="xs" variant="secondary" type="button" onClick={() => rotate(client)}>
                          Rotate secret
                        </Button>
                        <Button size="xs" variant="secondary" color="red" type="button" onClick={() => revoke(client)}>
                          Revoke
                        </Button>
                      </div>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}
