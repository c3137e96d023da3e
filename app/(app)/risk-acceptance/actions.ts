'use server';

import { runAction, type ActionResult } from '@/lib/auth/action-guard';
import { getCurrentSession } from '@/lib/auth/session';
import { parseOrThrow } from '@/lib/http/app-error';
import { countMatchingFindings, createRiskAcceptanceRule, revokeRiskAcceptanceRule, updateRiskAcceptanceRule } from '@/lib/risk-acceptance/rules';
import { countMatchesInputSchema, ruleIdSchema } from '@/lib/risk-acceptance/schemas';

const WRITE = { module: 'risk_acceptance', permission: 'write' } as const;

async function currentUserId(): Promise<number | null> {
  return (await getCurrentSession())?.user.id ?? null;
}

export async function createRuleAction(input: unknown): Promise<ActionResult<{ id: number }>> {
  const userId = await currentUserId();
  return runAction({ ...WRITE, action: 'createRiskAcceptance' }, async (db) => ({ id: (await createRiskAcceptanceRule(db, input, { userId })).id }));
}

export async function updateRuleAction(id: unknown, input: unknown): Promise<ActionResult> {
  const userId = await currentUserId();
  return runAction({ ...WRITE, action: 'updateRiskAcceptance' }, async (db) => {
    await updateRiskAcceptanceRule(db, parseOrThrow(ruleIdSchema, id), input, { userId });
    return null;
  });
}

export async function revokeRuleAction(id: unknown): Promise<ActionResult> {
  const userId = await currentUserId();
  return runAction({ ...WRITE, action: 'revokeRiskAcceptance' }, async (db) => {
    await revokeRiskAcceptanceRule(db, parseOrThrow(ruleIdSchema, id), { userId });
    return null;
  });
}

/** Counts the findings a draft query matches now, for the live count on the form. */
export async function countMatchesAction(query: unknown): Promise<ActionResult<number>> {
  return runAction({ module: 'risk_acceptance', permission: 'read', action: 'countRiskAcceptanceMatches' }, (db) =>
    countMatchingFindings(db, parseOrThrow(countMatchesInputSchema, { query }).query),
  );
}
