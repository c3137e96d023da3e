'use client';

import { Button, Card } from '@tremor/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState, useTransition, type FormEvent } from 'react';
import { createProfileAction, deleteProfileAction, previewProfileAction, updateProfileAction } from '@/app/(app)/imports/connector-profiles/actions';
import type { ProfilePreset } from '@/lib/connector-profiles/presets';
import type { PreviewIssue, ProfilePreview } from '@/lib/connector-profiles/preview';
import { ASSET_KINDS, DELIMITERS, MODEL_FIELDS, SEVERITY_NAMES, type ColumnMapping, type Delimiter, type ModelField, type ProfileInput, type SeverityName } from '@/lib/connector-profiles/profile-schema';
import { suggestMapping } from '@/lib/connector-profiles/suggest-mapping';
import { parseSeverityMap, formatSeverityMap } from './severity-map-text';

/** Bytes of the sample file sent for the preview; 20 rows of any export fit. */
const SAMPLE_BYTES = 256 * 1024;
const PREVIEW_DELAY_MS = 300;
const INPUT_CLASS = 'rounded-tremor-small border-tremor-border text-tremor-default shadow-tremor-input disabled:bg-tremor-background-subtle';
const RAW = '';

export interface EditedProfile {
  id: number;
  name: string;
  format: string;
  sourceName: string;
  mapping: ColumnMapping;
  csv: { delimiter: Delimiter; skipLines: number; hasHeaderRow: boolean; dateFormat: string; severityMap: Record<string, SeverityName> };
  keepAbsentFindings: boolean;
  defaultAssetKind: (typeof ASSET_KINDS)[number];
}

interface ProfileEditorProps {
  presets: ProfilePreset[];
  profile?: EditedProfile;
  readOnly?: boolean;
}

/**
 * Creates or edits a connector profile: settings, a field per column of a sample file, and a
 * preview of the first rows that the server maps with the import's own code.
 */
export function ProfileEditor({ presets, profile, readOnly = false }: ProfileEditorProps) {
  const router = useRouter();
  const format = profile?.format ?? 'generic-csv';
  const [name, setName] = useState(profile?.name ?? '');
  const [sourceName, setSourceName] = useState(profile?.sourceName ?? '');
  const [delimiter, setDelimiter] = useState<Delimiter>(profile?.csv.delimiter ?? 'auto');
  const [skipLines, setSkipLines] = useState(profile?.csv.skipLines ?? 0);
  const [hasHeaderRow, setHasHeaderRow] = useState(profile?.csv.hasHeaderRow ?? true);
  const [dateFormat, setDateFormat] = useState(profile?.csv.dateFormat ?? 'iso');
  const [severityText, setSeverityText] = useState(formatSeverityMap(profile?.csv.severityMap ?? {}));
  const [keepAbsentFindings, setKeepAbsentFindings] = useState(profile?.keepAbsentFindings ?? false);
  const [defaultAssetKind, setDefaultAssetKind] = useState(profile?.defaultAssetKind ?? 'host');
  const [mapping, setMapping] = useState<ColumnMapping>(profile?.mapping ?? {});
  const suggestedFor = useRef<{ name: string; text: string }>(undefined);
  const [sample, setSample] = useState<{ name: string; text: string }>();
  const [preview, setPreview] = useState<ProfilePreview>();
  const [previewError, setPreviewError] = useState<string>();
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string }>();
  const [saving, startSaving] = useTransition();
  const [previewing, startPreview] = useTransition();

  const severityMap = useMemo(() => parseSeverityMap(severityText), [severityText]);
  const csv = useMemo(
    () => ({ delimiter, skipLines, hasHeaderRow, dateFormat: dateFormat.trim() || 'iso', severityMap: severityMap.map }),
    [delimiter, skipLines, hasHeaderRow, dateFormat, severityMap.map],
  );
  const columns = preview?.columns.length ? preview.columns : Object.keys(mapping);
  const isCsv = format === 'generic-csv';

  useEffect(() => {
    if (!sample || !isCsv) return;
    const timer = setTimeout(() => {
      startPreview(async () => {
        const result = await previewProfileAction({ sample: sample.text, mapping, csv, defaultAssetKind });
        if (result.ok) {
          // A new profile gets suggested fields once per sample, so a column the user sets back to raw
          // stays raw. A saved profile keeps its mapping.
          if (!profile && suggestedFor.current !== sample) {
            suggestedFor.current = sample;
            const suggested = suggestMapping(result.data.columns, mapping);
            if (Object.keys(suggested).length > Object.keys(mapping).length) setMapping(suggested);
          }
          setPreview(result.data);
          setPreviewError(undefined);
        } else {
          setPreviewError(result.error);
        }
      });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [sample, mapping, csv, defaultAssetKind, isCsv, profile]);

  async function loadSample(file: File | undefined) {
    if (!file) return;
    let text = await file.slice(0, SAMPLE_BYTES).text();
    // A cut sample ends inside a row; the preview reads only whole lines.
    if (file.size > SAMPLE_BYTES) text = text.slice(0, text.lastIndexOf('\n') + 1);
    setSample({ name: file.name, text });
  }

  function applyPreset(id: string) {
    const preset = presets.find((candidate) => candidate.id === id);
    if (!preset) return;
    const input: ProfileInput = preset.profile;
    const known = preview?.columns.length ? new Set(preview.columns) : undefined;
    setName((current) => current || input.name);
    setSourceName(input.sourceName);
    setMapping(Object.fromEntries(Object.entries(input.mapping).filter(([column]) => !known || known.has(column))));
    setDelimiter(input.csv?.delimiter ?? 'auto');
    setSkipLines(input.csv?.skipLines ?? 0);
    setHasHeaderRow(input.csv?.hasHeaderRow ?? true);
    setDateFormat(input.csv?.dateFormat ?? 'iso');
    setSeverityText(formatSeverityMap(input.csv?.severityMap ?? {}));
    setKeepAbsentFindings(input.keepAbsentFindings ?? false);
    setDefaultAssetKind(input.defaultAssetKind ?? 'host');
  }

  function mapColumn(column: string, field: string) {
    setMapping((current) => {
      const next = { ...current };
      if (field === RAW) delete next[column];
      else next[column] = field as ModelField;
      return next;
    });
  }

  function save(event: FormEvent) {
    event.preventDefault();
    if (severityMap.errors.length > 0) {
      setMessage({ kind: 'error', text: `Fix the severity map first: ${severityMap.errors.join(' ')}` });
      return;
    }
    const input = { name, format, sourceName, mapping: isCsv ? mapping : {}, csv, keepAbsentFindings, defaultAssetKind };
    startSaving(async () => {
      const result = profile ? await updateProfileAction(profile.id, input) : await createProfileAction(input);
      if (!result.ok) {
        setMessage({ kind: 'error', text: result.error });
        return;
      }
      setMessage({ kind: 'saved', text: 'Saved.' });
      router.push('/imports/connector-profiles');
      router.refresh();
    });
  }

  function remove() {
    if (!profile) return;
    if (!window.confirm(`Delete the connector profile "${profile.name}"? Past imports keep their findings; imports can no longer name the profile.`)) return;
    startSaving(async () => {
      const result = await deleteProfileAction(profile.id);
      if (!result.ok) {
        setMessage({ kind: 'error', text: result.error });
        return;
      }
      router.push('/imports/connector-profiles');
      router.refresh();
    });
  }

  const usedFields = new Map(Object.entries(mapping).map(([column, field]) => [field, column]));
  const mappedFields = columns.map((column) => mapping[column]).filter((field): field is ModelField => field !== undefined);

  return (
    <form onSubmit={save} aria-label="Connector profile" className="space-y-6">
      <fieldset disabled={readOnly} className="space-y-6">
        <Card>
          <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Profile</h2>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
              Name
              <input className={INPUT_CLASS} value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} name="name" />
            </label>
            <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
              Source name on findings
              <input className={INPUT_CLASS} value={sourceName} onChange={(event) => setSourceName(event.target.value)} required maxLength={100} name="sourceName" />
            </label>
            <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
              Default asset kind
              <select className={INPUT_CLASS} value={defaultAssetKind} onChange={(event) => setDefaultAssetKind(event.target.value as EditedProfile['defaultAssetKind'])} name="defaultAssetKind">
                {ASSET_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {kind.replace('_', ' ')}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="mt-4 flex items-start gap-2 text-tremor-default text-tremor-content">
            <input type="checkbox" className="mt-1" checked={keepAbsentFindings} onChange={(event) => setKeepAbsentFindings(event.target.checked)} name="keepAbsentFindings" />
            <span>
              Keep absent findings open
              <span className="block text-tremor-label text-tremor-content-subtle">
                By default, a finding of this source that a newer import no longer lists on a scanned asset becomes Fixed. Turn this on when each file lists only part of the findings, such as a ticket export.
              </span>
            </span>
          </label>
          {!isCsv ? <p className="mt-4 text-tremor-default text-tremor-content-subtle">This profile reads {format} reports with their own parser, so it has no column mapping.</p> : null}
        </Card>

        {isCsv ? (
          <Card>
            <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
              <h2 className="text-tremor-title font-medium text-tremor-content-strong">CSV file</h2>
              {presets.length > 0 && !readOnly ? (
                <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
                  Start from a preset
                  <select className={INPUT_CLASS} value="" onChange={(event) => applyPreset(event.target.value)} name="preset">
                    <option value="">Choose a preset…</option>
                    {presets.map((preset) => (
                      <option key={preset.id} value={preset.id} title={preset.description}>
                        {preset.label}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
            </div>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
                Sample file
                <input type="file" accept=".csv,.tsv,.txt" onChange={(event) => void loadSample(event.target.files?.[0])} name="sample" className="text-tremor-default" />
              </label>
              <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
                Delimiter
                <select className={INPUT_CLASS} value={delimiter} onChange={(event) => setDelimiter(event.target.value as Delimiter)} name="delimiter">
                  {Object.entries(DELIMITERS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
                Lines to skip before the header
                <input className={INPUT_CLASS} type="number" min={0} max={1000} value={skipLines} onChange={(event) => setSkipLines(Math.max(0, Number.parseInt(event.target.value, 10) || 0))} name="skipLines" />
              </label>
              <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
                Date format
                <input className={INPUT_CLASS} value={dateFormat} onChange={(event) => setDateFormat(event.target.value)} maxLength={40} name="dateFormat" placeholder="iso, epoch or DD/MM/YYYY" />
              </label>
            </div>
            <label className="mt-4 flex items-center gap-2 text-tremor-default text-tremor-content">
              <input type="checkbox" checked={hasHeaderRow} onChange={(event) => setHasHeaderRow(event.target.checked)} name="hasHeaderRow" />
              The first line after the skipped ones is a header (without it, columns are named column 1, column 2, …)
            </label>
            <label className="mt-4 flex flex-col gap-1 text-tremor-default text-tremor-content">
              Severity map, one <code>value = {Object.keys(SEVERITY_NAMES).join(' | ')}</code> per line
              <textarea className={`${INPUT_CLASS} font-mono`} rows={3} value={severityText} onChange={(event) => setSeverityText(event.target.value)} name="severityMap" placeholder="Sev 4 = high" />
              <span className="text-tremor-label text-tremor-content-subtle">Values not listed are read as info, low, medium, high or critical; without a severity, the highest CVSS base score decides.</span>
            </label>
            {severityMap.errors.length > 0 ? (
              <p role="alert" className="mt-2 text-tremor-default text-red-600">
                {severityMap.errors.join(' ')}
              </p>
            ) : null}
          </Card>
        ) : null}

        {isCsv ? (
          <Card>
            <h2 className="mb-1 text-tremor-title font-medium text-tremor-content-strong">Columns</h2>
            <p className="mb-4 text-tremor-default text-tremor-content-subtle">
              {sample ? `From ${sample.name}. ` : 'Upload a sample file to list its columns. '}
              Columns kept in raw are stored with each finding&apos;s detection.
            </p>
            {columns.length === 0 ? null : (
              <table className="w-full text-left text-tremor-default" data-testid="column-mapping">
                <thead>
                  <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
                    <th scope="col" className="py-2 font-medium">Column</th>
                    <th scope="col" className="py-2 font-medium">Field</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-tremor-border">
                  {columns.map((column) => (
                    <tr key={column}>
                      <td className="py-2 font-mono text-tremor-label">{column}</td>
                      <td className="py-2">
                        <select className={INPUT_CLASS} value={mapping[column] ?? RAW} onChange={(event) => mapColumn(column, event.target.value)} aria-label={`Field for column ${column}`}>
                          <option value={RAW}>Keep in raw</option>
                          {(Object.entries(MODEL_FIELDS) as [ModelField, string][]).map(([field, label]) => (
                            <option key={field} value={field} disabled={usedFields.has(field) && usedFields.get(field) !== column}>
                              {label}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        ) : null}
      </fieldset>

      {isCsv && sample ? (
        <Card>
          <h2 className="mb-1 text-tremor-title font-medium text-tremor-content-strong">Preview</h2>
          <p className="mb-4 text-tremor-default text-tremor-content-subtle" aria-live="polite">
            {previewing ? 'Updating…' : 'The first 20 rows as an import maps them.'}
          </p>
          {previewError ? (
            <p role="alert" className="text-tremor-default text-red-600">
              {previewError}
            </p>
          ) : null}
          {preview ? <PreviewTable preview={preview} fields={mappedFields} /> : null}
        </Card>
      ) : null}

      {readOnly ? (
        <p className="text-tremor-default text-tremor-content-subtle">Your role may view this profile but not change it.</p>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" loading={saving}>
            {profile ? 'Save profile' : 'Create profile'}
          </Button>
          <Link href="/imports/connector-profiles" className="text-tremor-default text-tremor-brand hover:underline">
            Cancel
          </Link>
          {profile ? (
            <Button type="button" variant="secondary" color="red" onClick={remove} disabled={saving}>
              Delete profile
            </Button>
          ) : null}
        </div>
      )}
      {message ? (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={`text-tremor-default ${message.kind === 'error' ? 'text-red-600' : 'text-tremor-content'}`}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function describeIssue(issue: PreviewIssue): string {
  const where = [issue.line === undefined ? undefined : `line ${issue.line}`, issue.column ? `column ${issue.column}` : undefined].filter(Boolean).join(', ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

function PreviewTable({ preview, fields }: { preview: ProfilePreview; fields: ModelField[] }) {
  return (
    <div>
      {preview.issues.length > 0 ? (
        <ul role="alert" className="mb-4 list-disc pl-5 text-tremor-default text-red-600" data-testid="preview-issues">
          {preview.issues.map((issue, index) => (
            <li key={index}>{describeIssue(issue)}</li>
          ))}
        </ul>
      ) : null}
      {preview.rows.length === 0 ? null : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-tremor-label" data-testid="profile-preview">
            <thead>
              <tr className="border-b border-tremor-border uppercase tracking-wide text-tremor-content-subtle">
                <th scope="col" className="py-2 pr-3 font-medium">Line</th>
                {fields.map((field) => (
                  <th key={field} scope="col" className="py-2 pr-3 font-medium">
                    {MODEL_FIELDS[field]}
                  </th>
                ))}
                <th scope="col" className="py-2 pr-3 text-right font-medium">Raw columns</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-tremor-border">
              {preview.rows.map((row) =>
                row.error ? (
                  <tr key={row.line} className="bg-red-50">
                    <td className="py-2 pr-3 tabular-nums">{row.line}</td>
                    <td colSpan={fields.length + 1} className="py-2 pr-3 text-red-700">
                      {describeIssue(row.error)}
                    </td>
                  </tr>
                ) : (
                  <tr key={row.line}>
                    <td className="py-2 pr-3 tabular-nums">{row.line}</td>
                    {fields.map((field) => (
                      <td key={field} className="max-w-xs truncate py-2 pr-3" title={row.values[field]}>
                        {row.values[field] ?? '—'}
                      </td>
                    ))}
                    <td className="py-2 pr-3 text-right tabular-nums">{row.rawColumns}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
