'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Home' },
  { href: '/assets', label: 'Assets' },
  { href: '/findings', label: 'Findings' },
  { href: '/business-entities', label: 'Business entities' },
  { href: '/prioritization', label: 'Prioritization' },
  { href: '/tags', label: 'Tags' },
  { href: '/risk-acceptance', label: 'Risk acceptance' },
  { href: '/imports', label: 'Imports' },
] as const;

function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="flex items-center gap-1 whitespace-nowrap">
      {LINKS.map((link) => {
        const active = isActive(pathname, link.href);
        return (
          <li key={link.href}>
            <Link
              href={link.href}
              aria-current={active ? 'page' : undefined}
              className={`rounded-tremor-small px-3 py-2 text-tremor-default font-medium ${
                active ? 'bg-tremor-brand-faint text-tremor-brand-emphasis' : 'text-tremor-content-emphasis hover:bg-tremor-background-subtle'
              }`}
            >
              {link.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
