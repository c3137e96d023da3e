import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULES, PERMISSIONS, ROLE_GRANTS, emptyGrants, grantsBeyond, hasPermission, intersectGrants, userGrants, type Grants } from '../../lib/auth/permissions';
import type { UserRole } from '../../lib/auth/users';

const ROLES_LOW_TO_HIGH: UserRole[] = ['reader', 'analyst', 'manager', 'admin'];

function roleCell(grants: Grants, moduleName: (typeof MODULES)[number]): string {
  const held = PERMISSIONS.filter((permission) => hasPermission(grants, moduleName, permission));
  return held.length === 0 ? '—' : held.join(', ');
}

describe('role permissions', () => {
  it('gives each role what the role below holds', () => {
    for (let index = 1; index < ROLES_LOW_TO_HIGH.length; index += 1) {
      const lower = ROLE_GRANTS[ROLES_LOW_TO_HIGH[index - 1]!];
      const higher = ROLE_GRANTS[ROLES_LOW_TO_HIGH[index]!];
      expect(grantsBeyond(lower, higher), `${ROLES_LOW_TO_HIGH[index]}`).toEqual([]);
    }
  });

  it('keeps administration for admins only', () => {
    for (const role of ROLES_LOW_TO_HIGH) {
      expect(hasPermission(ROLE_GRANTS[role], 'administration', 'read'), role).toBe(role === 'admin');
    }
  });

  it('matches the matrix in docs/permissions.md', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/permissions.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Roles'), doc.indexOf('## Global permissions'));
    for (const moduleName of MODULES) {
      const expected = `| \`${moduleName}\` | ${ROLES_LOW_TO_HIGH.map((role) => roleCell(ROLE_GRANTS[role], moduleName)).join(' | ')} |`;
      expect(section).toContain(expected);
    }
  });
});

describe('grant arithmetic', () => {
  it('treats write as including read', () => {
    const grants = emptyGrants();
    grants.modules.imports = ['write'];
    expect(hasPermission(grants, 'imports', 'read')).toBe(true);
    expect(hasPermission(grants, 'findings', 'read')).toBe(false);
  });

  it('intersects modules and access', () => {
    const left: Grants = { modules: { ...emptyGrants().modules, findings: ['read', 'write'], assets: ['read'] }, access: { api: true, ui: true } };
    const right: Grants = { modules: { ...emptyGrants().modules, findings: ['read'] }, access: { api: true, ui: false } };
    const both = intersectGrants(left, right);
    expect(both.modules.findings).toEqual(['read']);
    expect(both.modules.assets).toEqual([]);
    expect(both.access).toEqual({ api: true, ui: false });
  });

  it('lists what exceeds the holder', () => {
    const requested: Grants = { modules: { ...emptyGrants().modules, imports: ['write'], administration: ['read'] }, access: { api: true, ui: false } };
    expect(grantsBeyond(requested, userGrants('reader', { apiAccess: false }))).toEqual(['imports:write', 'administration:read', 'access:api']);
  });

  it('turns API access off per user', () => {
    expect(userGrants('admin', { apiAccess: false }).access).toEqual({ api: false, ui: true });
  });
});
