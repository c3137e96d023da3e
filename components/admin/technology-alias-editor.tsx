'use client';

import { Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { deleteAliasAction, resolveSpellingAction, saveAliasAction } from '@/app/(app)/admin/identification/actions';
import { ALIAS_KIND_LABELS, ALIAS_KINDS, MAX_ALIAS_LENGTH, type AliasKind } from '@/lib/identification/alias-kinds';
import type { AliasTableSize, OrganizationAlias, SpellingResolution } from '@/lib/identification/alias-store';

const INPUT_CLASS = 'rounded-tremor-default border border-tremor-border bg-white px-3 py-2 text-tremor-default text-tremor-content-strong';
const SMALL_BUTTON = 'rounded-tremor-small border border-tremor-border px-2 py-0.5 text-tremor-label text-tremor-content-strong hover:bg-tremor-background-muted disabled:opacity-40';

const SOURCE_LABELS: Record<SpellingResolution['source'], string> = {
  organization: 'an organization alias',
  bundled: 'the bundled alias table',
  normalization: 'normalization only, as no alias lists this spelling',
};

/**
 * Lists the organization's vendor and product aliases with a form to add one, remove buttons and
 * a box that shows what a spelling resolves to. Each change queues a re-identification, and the
 * page refresh makes the settings form show its status.
 */
export function TechnologyAliasEditor({ aliases, bundledSize, canEdit }: { aliases: OrganizationAlias[]; bundledSize: AliasTableSize; canEdit: boolean }) {
  const router = useRouter();
  const [kind, setKind] = useState<AliasKind>('vendor');
  const [alias, setAlias] = useState('');
  const [canonical, setCanonical] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();
  const disabled = !canEdit || pending;

  function queued(jobId: number | null, done: string): string {
    return jobId === null ? `${done} Nothing changed, so nothing is re-identified.` : `${done} Re-identification job ${jobId} is queued.`;
  }

  function add() {
    startTransition(async () => {
      const result = await saveAliasAction({ kind, alias, canonical });
      if (!result.ok) {
        setMessage({ ok: false, text: result.error });
        return;
      }
      const saved = result.data.alias;
      setMessage({ ok: true, text: queued(result.data.reidentificationJobId, `Saved: ${saved.kind} "${saved.alias}" = "${saved.canonical}".`) });
      setAlias('');
      setCanonical('');
      router.refresh();
    });
  }

  function remove(entry: OrganizationAlias) {
    startTransition(async () => {
      const result = await deleteAliasAction({ kind: entry.kind, alias: entry.alias });
      if (!result.ok) {
        setMessage({ ok: false, text: result.error });
        return;
      }
      setMessage({ ok: true, text: queued(result.data.reidentificationJobId, `Removed the ${entry.kind} alias "${entry.alias}".`) });
      router.refresh();
    });
  }

  return (
    <section className="flex flex-col gap-3" aria-label="Vendor and product aliases">
      <h2 className="text-tremor-title font-semibold text-tremor-content-strong">Vendor and product aliases</h2>
      <p className="text-tremor-default text-tremor-content">
        Vendor and product names are compared after each spelling is mapped to one canonical name, written as CPE names write it (lower case, <code>_</code>{' '}
        for spaces). The bundled table maps {bundledSize.vendors.spellings} spellings to {bundledSize.vendors.names} vendors and {bundledSize.products.spellings}{' '}
        spellings to {bundledSize.products.names} products. The organization&apos;s aliases below are applied on top of it and win where both list a
        spelling. Adding or removing an alias re-identifies the stored findings in the background.
      </p>

      <Table aria-label="Organization aliases">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Kind</TableHeaderCell>
            <TableHeaderCell>Alias</TableHeaderCell>
            <TableHeaderCell>Canonical name</TableHeaderCell>
            {canEdit ? <TableHeaderCell>Actions</TableHeaderCell> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {aliases.map((entry) => (
            <TableRow key={`${entry.kind}:${entry.alias}`}>
              <TableCell>{ALIAS_KIND_LABELS[entry.kind]}</TableCell>
              {/* Tremor cells do not wrap; aliases and CPE names of up to 200 characters would widen the table past the screen. */}
              <TableCell className="whitespace-normal break-all font-medium text-tremor-content-strong">{entry.alias}</TableCell>
              <TableCell className="whitespace-normal break-all">{entry.canonical}</TableCell>
              {canEdit ? (
                <TableCell>
                  <button type="button" className={SMALL_BUTTON} disabled={disabled} onClick={() => remove(entry)} aria-label={`Remove the ${entry.kind} alias ${entry.alias}`}>
                    Remove
                  </button>
                </TableCell>
              ) : null}
            </TableRow>
          ))}
          {aliases.length === 0 ? (
            <TableRow>
              <TableCell colSpan={canEdit ? 4 : 3} className="text-tremor-content-subtle">
                The organization has no aliases of its own; only the bundled table applies.
              </TableCell>
            </TableRow>
          ) : null}
        </TableBody>
      </Table>

      {canEdit ? (
        <form
          className="flex flex-wrap items-end gap-2"
          aria-label="Add an alias"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <KindSelect value={kind} onChange={setKind} disabled={disabled} name="aliasKind" />
          <label className="flex flex-col gap-1 text-tremor-label text-tremor-content">
            Alias (the other spelling)
            <input className={INPUT_CLASS} value={alias} maxLength={MAX_ALIAS_LENGTH} disabled={disabled} onChange={(event) => setAlias(event.target.value)} name="alias" placeholder="Acme Corp" />
          </label>
          <label className="flex flex-col gap-1 text-tremor-label text-tremor-content">
            Canonical name
            <input
              className={INPUT_CLASS}
              value={canonical}
              maxLength={MAX_ALIAS_LENGTH}
              disabled={disabled}
              onChange={(event) => setCanonical(event.target.value)}
              name="canonical"
              placeholder="acme"
            />
          </label>
          <Button type="submit" loading={pending} disabled={alias.trim() === '' || canonical.trim() === ''}>
            Add alias
          </Button>
        </form>
      ) : null}

      {message ? (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'break-words text-tremor-default text-emerald-700' : 'break-words text-tremor-default text-red-600'}>
          {message.text}
        </p>
      ) : null}

      <SpellingTest />
    </section>
  );
}

/** Shows the canonical name a spelling resolves to with the stored aliases. */
function SpellingTest() {
  const [kind, setKind] = useState<AliasKind>('vendor');
  const [name, setName] = useState('');
  const [result, setResult] = useState<{ ok: true; resolution: SpellingResolution } | { ok: false; error: string }>();
  const [pending, startTransition] = useTransition();

  function test() {
    startTransition(async () => {
      const response = await resolveSpellingAction({ kind, name });
      setResult(response.ok ? { ok: true, resolution: response.data } : { ok: false, error: response.error });
    });
  }

  return (
    <form
      className="flex flex-col gap-2"
      aria-label="Test a spelling"
      onSubmit={(event) => {
        event.preventDefault();
        test();
      }}
    >
      <h3 className="text-tremor-default font-semibold text-tremor-content-strong">Test a spelling</h3>
      <div className="flex flex-wrap items-end gap-2">
        <KindSelect value={kind} onChange={setKind} disabled={pending} name="testKind" />
        <label className="flex flex-col gap-1 text-tremor-label text-tremor-content">
          Spelling
          <input className={INPUT_CLASS} value={name} maxLength={MAX_ALIAS_LENGTH} onChange={(event) => setName(event.target.value)} name="spelling" placeholder="Microsoft Corporation" />
        </label>
        <Button type="submit" variant="secondary" loading={pending} disabled={name.trim() === ''}>
          Resolve
        </Button>
      </div>
      {result?.ok ? (
        <p role="status" aria-label="Spelling resolution" className="break-all text-tremor-default text-tremor-content-strong">
          The {result.resolution.kind} &quot;{result.resolution.name}&quot; resolves to <strong>{result.resolution.canonical}</strong>, by {SOURCE_LABELS[result.resolution.source]}.
        </p>
      ) : null}
      {result && !result.ok ? (
        <p role="alert" className="text-tremor-default text-red-600">
          {result.error}
        </p>
      ) : null}
    </form>
  );
}

function KindSelect({ value, onChange, disabled, name }: { value: AliasKind; onChange: (kind: AliasKind) => void; disabled: boolean; name: string }) {
  return (
    <label className="flex flex-col gap-1 text-tremor-label text-tremor-content">
      Kind
      <select className={INPUT_CLASS} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as AliasKind)} name={name}>
        {ALIAS_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {ALIAS_KIND_LABELS[kind]}
          </option>
        ))}
      </select>
    </label>
  );
}
