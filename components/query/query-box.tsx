'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Entity } from '@/lib/query/catalog';
import { checkQuery } from '@/lib/query/check';
import { isQueryError } from '@/lib/query/errors';
import { highlightKind, queryLexer, type HighlightKind } from '@/lib/query/lexer';
import { suggest, type Suggestion } from '@/lib/query/suggest';
import { SavedSearchesMenu } from './saved-searches-menu';

const HIGHLIGHT_CLASSES = {
  token: 'text-blue-700',
  operator: 'text-gray-500',
  keyword: 'font-semibold text-purple-700',
  value: 'text-emerald-700',
  bracket: 'text-gray-600',
  error: 'text-red-600 underline decoration-wavy',
} as const satisfies Record<HighlightKind, string>;

interface Segment {
  text: string;
  kind: HighlightKind | 'plain';
}

/** Splits the query into coloured segments; text the lexer could not read is marked as an error. */
function highlight(text: string): Segment[] {
  const { tokens } = queryLexer.tokenize(text);
  const segments: Segment[] = [];
  let offset = 0;
  for (const token of tokens) {
    if (token.startOffset > offset) {
      const gap = text.slice(offset, token.startOffset);
      segments.push({ text: gap, kind: gap.trim() === '' ? 'plain' : 'error' });
    }
    segments.push({ text: token.image, kind: highlightKind(token) });
    offset = token.startOffset + token.image.length;
  }
  if (offset < text.length) {
    const rest = text.slice(offset);
    segments.push({ text: rest, kind: rest.trim() === '' ? 'plain' : 'error' });
  }
  return segments;
}

function validate(text: string): { message: string; start: number; end: number } | null {
  try {
    checkQuery(text);
    return null;
  } catch (error) {
    if (isQueryError(error)) return error.toJSON();
    throw error;
  }
}

export interface QueryBoxProps {
  entity: Entity;
  /** The query of the current URL (`?q=`). */
  initialQuery: string;
  /** The server's message when it rejected the query in the URL. */
  serverError?: string;
  /**
   * Makes the box a form field (a risk acceptance rule's query): each edit is reported here
   * instead of searching, and the Search button and saved searches are left out.
   */
  onQueryChange?: (query: string) => void;
  /** Accessible name of the box; defaults to "Search findings" or "Search assets". */
  label?: string;
}

/**
 * Renders the search box of the findings and assets lists. It highlights the query, suggests
 * tokens and enum values, and checks the query as it is typed. Enter puts the query in the URL
 * as `?q=`, so a shared link shows the same view.
 */
export function QueryBox({ entity, initialQuery, serverError, onQueryChange, label }: QueryBoxProps) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initialQuery);
  const [cursor, setCursor] = useState(initialQuery.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  const segments = useMemo(() => highlight(text), [text]);
  const error = useMemo(() => validate(text), [text]);
  const suggestions = useMemo(() => (open ? suggest(text, cursor, entity) : []), [open, text, cursor, entity]);

  function submit(query: string) {
    if (validate(query)) return;
    if (onQueryChange) {
      setOpen(false);
      return;
    }
    const url = new URL(window.location.href);
    if (query.trim() === '') url.searchParams.delete('q');
    else url.searchParams.set('q', query);
    // A cursor belongs to the previous result set.
    url.searchParams.delete('cursor');
    setOpen(false);
    router.push(`${url.pathname}${url.search}`);
  }

  function accept(suggestion: Suggestion) {
    const next = text.slice(0, suggestion.start) + suggestion.insert + text.slice(suggestion.end);
    const position = suggestion.start + suggestion.insert.length;
    setText(next);
    onQueryChange?.(next);
    setCursor(position);
    setActive(0);
    // After a token the value comes next, so the list stays open; after a value, Enter submits.
    setOpen(suggestion.insert.endsWith(':'));
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(position, position);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const current = suggestions[active];
    if (event.key === 'ArrowDown' && suggestions.length > 0) {
      event.preventDefault();
      setActive((active + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp' && suggestions.length > 0) {
      event.preventDefault();
      setActive((active - 1 + suggestions.length) % suggestions.length);
    } else if ((event.key === 'Tab' || event.key === 'Enter') && current && open) {
      event.preventDefault();
      accept(current);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      submit(text);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  }

  const shownError = error ?? (text === initialQuery && serverError ? { message: serverError, start: -1, end: -1 } : null);

  return (
    <div className="mb-4">
      <div className="flex items-start gap-2">
        <div className="relative flex-1">
          <div
            aria-hidden="true"
            className="pointer-events-none absolute inset-0 overflow-hidden whitespace-pre rounded-md border border-transparent px-3 py-2 font-mono text-sm"
          >
            {segments.map((segment, index) => (
              <span key={index} className={segment.kind === 'plain' ? undefined : HIGHLIGHT_CLASSES[segment.kind]}>
                {segment.text}
              </span>
            ))}
          </div>
          <input
            ref={input}
            type="text"
            role="combobox"
            name="q"
            aria-label={label ?? `Search ${entity === 'finding' ? 'findings' : 'assets'}`}
            aria-invalid={shownError ? true : undefined}
            aria-describedby={shownError ? 'query-error' : undefined}
            aria-autocomplete="list"
            aria-expanded={suggestions.length > 0}
            aria-controls={`${entity}-query-suggestions`}
            autoComplete="off"
            spellCheck={false}
            placeholder={entity === 'finding' ? 'finding.severity>=high AND asset.internetFacing:true' : 'asset.tags.name:production AND finding.isKev:true'}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              onQueryChange?.(event.target.value);
              setCursor(event.target.selectionStart ?? event.target.value.length);
              setOpen(true);
              setActive(0);
            }}
            onSelect={(event) => setCursor(event.currentTarget.selectionStart ?? 0)}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={onKeyDown}
            className={`relative w-full rounded-md border bg-transparent px-3 py-2 font-mono text-sm text-transparent caret-gray-900 placeholder:text-gray-400 focus:outline-none focus:ring-2 ${shownError ? 'border-red-400 focus:ring-red-300' : 'border-gray-300 focus:ring-blue-300'}`}
          />
          {suggestions.length > 0 && (
            <ul id={`${entity}-query-suggestions`} role="listbox" className="absolute z-10 mt-1 max-h-72 w-full overflow-auto rounded-md border border-gray-200 bg-white text-sm shadow-lg">
              {suggestions.map((suggestion, index) => (
                <li
                  key={suggestion.label}
                  role="option"
                  aria-selected={index === active}
                  onMouseDown={(event) => {
                    event.preventDefault();
                    accept(suggestion);
                  }}
                  className={`cursor-pointer px-3 py-1.5 ${index === active ? 'bg-blue-50' : ''}`}
                >
                  <span className="font-mono text-blue-700">{suggestion.label}</span>
                  <span className="ml-2 text-gray-500">{suggestion.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {onQueryChange ? null : (
          <>
            <button type="button" onClick={() => submit(text)} disabled={error !== null} className="rounded-md bg-blue-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50">
              Search
            </button>
            <SavedSearchesMenu
              scope={entity === 'finding' ? 'findings' : 'assets'}
              query={text}
              onLoad={(query: string) => {
                setText(query);
                submit(query);
              }}
            />
          </>
        )}
      </div>
      <div className="mt-1 flex justify-between gap-4 text-sm">
        {shownError ? (
          <p id="query-error" role="alert" className="text-red-700">
            {shownError.message}
          </p>
        ) : (
          <span />
        )}
        <Link href="/help/query" className="shrink-0 text-blue-700 hover:underline">
          Query syntax
        </Link>
      </div>
    </div>
  );
}
