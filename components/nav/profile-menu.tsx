'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { SignOutButton } from '@/components/nav/sign-out-button';

const ITEM = 'block rounded-tremor-small px-3 py-2 text-tremor-default text-tremor-content-emphasis hover:bg-tremor-background-subtle';

/** Renders the signed-in user's menu: View Profile, Users and Organization settings for admins, and Sign out. */
export function ProfileMenu({ email, showUsers }: { email: string; showUsers: boolean }) {
  const [open, setOpen] = useState(false);
  const container = useRef<HTMLDivElement>(null);

  // Closes the menu on a click anywhere else; a click on an item closes it through its onClick.
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  return (
    <div ref={container} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title={`Signed in as ${email}`}
        className="max-w-[10rem] truncate rounded-tremor-small px-3 py-2 text-tremor-default text-tremor-content hover:bg-tremor-background-subtle sm:max-w-[16rem]"
      >
        {email} ▾
      </button>
      {open ? (
        <div role="menu" className="absolute right-0 z-20 mt-1 w-48 rounded-tremor-default border border-tremor-border bg-white p-1 shadow-tremor-dropdown">
          <Link role="menuitem" onClick={() => setOpen(false)} href="/profile" className={ITEM}>
            View Profile
          </Link>
          <Link role="menuitem" onClick={() => setOpen(false)} href="/profile?tab=clients" className={ITEM}>
            API clients
          </Link>
          {showUsers ? (
            <Link role="menuitem" onClick={() => setOpen(false)} href="/admin/users" className={ITEM}>
              Users
            </Link>
          ) : null}
          {showUsers ? (
            <Link role="menuitem" onClick={() => setOpen(false)} href="/admin/settings" className={ITEM}>
              Organization settings
            </Link>
          ) : null}
          {showUsers ? (
            <Link role="menuitem" onClick={() => setOpen(false)} href="/admin/identification" className={ITEM}>
              Identification rules
            </Link>
          ) : null}
          <SignOutButton />
        </div>
      ) : null}
    </div>
  );
}
