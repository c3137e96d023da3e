'use client';

import { useEffect, useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies the absolute URL of `path` on this server. The Clipboard API exists only in secure
 * contexts (https or localhost), so elsewhere the button shows that the copy failed and the URL is in
 * the browser's address bar.
 */
export function CopyLinkButton({ path, label = 'Copy link' }: { path: string; label?: string }) {
  const [state, setState] = useState<CopyState>('idle');
  const resetTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(resetTimer.current), []);

  async function handleClick() {
    const url = new URL(path, window.location.origin).toString();
    try {
      // navigator.clipboard is undefined outside secure contexts, which throws here too.
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      setState('failed');
    }
    window.clearTimeout(resetTimer.current);
    resetTimer.current = window.setTimeout(() => setState('idle'), 3000);
  }

  let text: string = label;
  if (state === 'copied') text = 'Link copied';
  if (state === 'failed') text = 'Copy failed; use the address bar';

  return (
    <button
      type="button"
      onClick={() => void handleClick()}
      className="inline-flex items-center gap-2 whitespace-nowrap rounded-tremor-small border border-tremor-border bg-white px-3 py-1.5 text-tremor-default font-medium text-tremor-content-emphasis shadow-tremor-input hover:bg-tremor-background-subtle"
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" className="h-4 w-4 text-tremor-content-subtle">
        <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
        <path d="M3 10.5V4a1.5 1.5 0 0 1 1.5-1.5h6" strokeLinecap="round" />
      </svg>
      <span aria-live="polite">{text}</span>
    </button>
  );
}
