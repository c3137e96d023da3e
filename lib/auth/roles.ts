import type { UserRole } from './users';

/** Roles from least to most privileged; each role may do everything the ones below it may. */
const ROLE_RANK = { reader: 0, analyst: 1, manager: 2, admin: 3 } as const satisfies Record<UserRole, number>;

/** The lowest role allowed to do each action that readers may not. */
export const MINIMUM_ROLE = {
  importReports: 'analyst',
} as const satisfies Record<string, UserRole>;

export function hasRole(role: UserRole, minimum: UserRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}
