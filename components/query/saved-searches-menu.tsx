'use client';

import { useCallback, useState } from 'react';

interface SavedSearch {
  id: number;
  name: string;
  query: string;
}

export interface SavedSearchesMenuProps {
  scope: 'findings' | 'assets';
  /** The query in the box, saved by "Save current search". */
  query: string;
  onLoad: (query: string) => void;
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `the server answered ${response.status}`;
}

/** Renders a menu of the signed-in user's saved searches for one list, to load, save or delete them. */
export function SavedSearchesMenu({ scope, query, onLoad }: SavedSearchesMenuProps) {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<SavedSearch[]>([]);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    const response = await fetch(`/api/v1/saved-searches?scope=${scope}`);
    if (!response.ok) {
      setMessage(`Loading saved searches failed: ${await errorMessage(response)}`);
      return;
    }
    setItems(((await response.json()) as { items: SavedSearch[] }).items);
  }, [scope]);

  function toggle() {
    if (!open) void load();
    setOpen(!open);
  }

  async function save() {
    setMessage(null);
    const response = await fetch('/api/v1/saved-searches', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope, name, query }),
    });
    if (!response.ok) {
      setMessage(`Saving failed: ${await errorMessage(response)}`);
      return;
    }
    setName('');
    await load();
  }

  async function remove(id: number) {
    const response = await fetch(`/api/v1/saved-searches/${id}`, { method: 'DELETE' });
    if (!response.ok) setMessage(`Deleting failed: ${await errorMessage(response)}`);
    await load();
  }

  return (
    <div className="relative">
      <button type="button" aria-expanded={open} onClick={toggle} className="rounded-md border border-gray-300 px-3 py-2 text-sm text-gray-700 hover:bg-gray-50">
        Saved searches
      </button>
      {open && (
        <div className="absolute right-0 z-20 mt-1 w-80 rounded-md border border-gray-200 bg-white p-3 text-sm shadow-lg">
          {items.length === 0 ? (
            <p className="text-gray-500">No saved searches yet.</p>
          ) : (
            <ul className="mb-3 max-h-64 overflow-auto">
              {items.map((item) => (
                <li key={item.id} className="flex items-center justify-between gap-2 py-1">
                  <button
                    type="button"
                    title={item.query}
                    onClick={() => {
                      setOpen(false);
                      onLoad(item.query);
                    }}
                    className="truncate text-left text-blue-700 hover:underline"
                  >
                    {item.name}
                  </button>
                  <button type="button" aria-label={`Delete saved search ${item.name}`} onClick={() => void remove(item.id)} className="text-gray-400 hover:text-red-600">
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
            className="flex gap-2 border-t border-gray-100 pt-3"
          >
            <input
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="Name of the current search"
              aria-label="Name of the current search"
              maxLength={100}
              className="min-w-0 flex-1 rounded-md border border-gray-300 px-2 py-1"
            />
            <button type="submit" disabled={name.trim() === ''} className="rounded-md bg-blue-600 px-3 py-1 text-white disabled:opacity-50">
              Save
            </button>
          </form>
          {message && (
            <p role="alert" className="mt-2 text-red-700">
              {message}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
