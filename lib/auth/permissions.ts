import { z } from 'zod';
import type { UserRole } from './users';

/**
 * The modules of Riskboard that permissions are granted on. `docs/permissions.md` describes what
 * each one covers; keep the two in step.
 */
export const MODULES = ['findings', 'assets', 'tagging', 'dashboards', 'risk_acceptance', 'imports', 'attack', 'administration'] as const;
export type Module = (typeof MODULES)[number];

/** `read` views a module's data; `write` changes it and implies `read`. */
export const PERMISSIONS = ['read', 'write'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Global access switches: `api` lets bearer tokens call /api/v1, `ui` lets a person use the web app. */
export const ACCESS_KINDS = ['api', 'ui'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export const MODULE_LABELS = {
  findings: 'Findings',
  assets: 'Assets',
  tagging: 'Tagging',
  dashboards: 'Dashboards',
  risk_acceptance: 'Risk acceptance',
  imports: 'Imports',
  attack: 'ATT&CK',
  administration: 'Administration',
} as const satisfies Record<Module, string>;

/** Grants of a role, an API client or a token: permissions per module plus the global access switches. */
export interface Grants {
  modules: Record<Module, readonly Permission[]>;
  access: Record<AccessKind, boolean>;
}

const READ = ['read'] as const;
const READ_WRITE = ['read', 'write'] as const;
const NONE = [] as const;

/**
 * Permissions of each role. Each role has every permission of the role below it, and every role
 * may use both the web app and the API unless an admin turns API access off for a user.
 */
export const ROLE_GRANTS = {
  reader: {
    modules: {
      findings: READ,
      assets: READ,
      tagging: READ,
      dashboards: READ,
      risk_acceptance: READ,
      imports: READ,
      attack: READ,
      administration: NONE,
    },
    access: { api: true, ui: true },
  },
  analyst: {
    modules: {
      findings: READ_WRITE,
      assets: READ,
      tagging: READ_WRITE,
      dashboards: READ_WRITE,
      risk_acceptance: READ,
      imports: READ_WRITE,
      attack: READ,
      administration: NONE,
    },
    access: { api: true, ui: true },
  },
  manager: {
    modules: {
      findings: READ_WRITE,
      assets: READ_WRITE,
      tagging: READ_WRITE,
      dashboards: READ_WRITE,
      risk_acceptance: READ_WRITE,
      imports: READ_WRITE,
      attack: READ_WRITE,
      administration: NONE,
    },
    access: { api: true, ui: true },
  },
  admin: {
    modules: {
      findings: READ_WRITE,
      assets: READ_WRITE,
      tagging: READ_WRITE,
      dashboards: READ_WRITE,
      risk_acceptance: READ_WRITE,
      imports: READ_WRITE,
      attack: READ_WRITE,
      administration: READ_WRITE,
    },
    access: { api: true, ui: true },
  },
} as const satisfies Record<UserRole, Grants>;

/** Grants with every module and switch off; the starting point of "denied unless granted". */
export function emptyGrants(): Grants {
  return {
    modules: Object.fromEntries(MODULES.map((moduleName) => [moduleName, []])) as unknown as Record<Module, Permission[]>,
    access: { api: false, ui: false },
  };
}

/** Returns true when `grants` contain `permission` on `moduleName`. `write` implies `read`. */
export function hasPermission(grants: Grants, moduleName: Module, permission: Permission): boolean {
  const held = grants.modules[moduleName];
  return held.includes(permission) || (permission === 'read' && held.includes('write'));
}

/** Returns the grants of a user: their role's table row, with API access off when an admin turned it off. */
export function userGrants(role: UserRole, options: { apiAccess: boolean }): Grants {
  const base = ROLE_GRANTS[role];
  return { modules: { ...base.modules }, access: { api: base.access.api && options.apiAccess, ui: base.access.ui } };
}

/** Returns what both grant sets hold: a client's grants limited by its user's, or a token's by its client's. */
export function intersectGrants(left: Grants, right: Grants): Grants {
  const result = emptyGrants();
  for (const moduleName of MODULES) {
    result.modules[moduleName] = PERMISSIONS.filter((permission) => hasPermission(left, moduleName, permission) && hasPermission(right, moduleName, permission));
  }
  for (const kind of ACCESS_KINDS) result.access[kind] = left.access[kind] && right.access[kind];
  return result;
}

/** Lists each permission of `requested` that `holder` lacks, as `module:permission` or `access:kind`. */
export function grantsBeyond(requested: Grants, holder: Grants): string[] {
  const excess: string[] = [];
  for (const moduleName of MODULES) {
    for (const permission of requested.modules[moduleName]) {
      if (!hasPermission(holder, moduleName, permission)) excess.push(`${moduleName}:${permission}`);
    }
  }
  for (const kind of ACCESS_KINDS) {
    if (requested.access[kind] && !holder.access[kind]) excess.push(`access:${kind}`);
  }
  return excess;
}

/** Schema of stored and submitted grants. A module left out has no permission. */
export const grantsSchema = z.object({
  modules: z.partialRecord(z.enum(MODULES), z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length)).transform((modules) => {
    const complete = emptyGrants().modules;
    for (const moduleName of MODULES) complete[moduleName] = [...new Set(modules[moduleName] ?? [])];
    return complete;
  }),
  access: z.object({ api: z.boolean(), ui: z.boolean() }),
});
