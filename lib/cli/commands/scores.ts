import { parseArgs } from 'node:util';
import { recomputeAllRiskScores } from '../../scoring/recompute';
import { getScoringSettings, saveScoringSettings } from '../../scoring/settings';
import { openCliDatabase } from '../open-cli-db';
import { CliUsageError } from '../usage-error';

/**
 * `riskboard scores recompute` recomputes every asset's criticality and v1 and v2 Risk Scores and
 * upserts today's snapshot of the organization, every business entity and every tag.
 * `riskboard scores settings [--set JSON]` prints the scoring settings, or validates and stores
 * new ones and then recomputes, because the weights change every stored Asset Risk Score.
 */
export async function runScores(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { set: { type: 'string' } } });
  if (action !== 'recompute' && action !== 'settings') throw new CliUsageError('scores takes "recompute" or "settings"');
  if (action === 'recompute' && values.set !== undefined) throw new CliUsageError('--set belongs to "scores settings"');

  let update: unknown;
  if (values.set !== undefined) {
    try {
      update = JSON.parse(values.set);
    } catch {
      throw new CliUsageError(`--set takes a JSON object, e.g. '{"displayedVersion":"v1"}'; got ${values.set}`);
    }
  }

  const database = await openCliDatabase({ viaServer: false });
  if (database.kind !== 'direct') throw new Error('unreachable: scores commands never go through the server');
  const { db } = database.handle;
  try {
    if (action === 'settings' && update === undefined) {
      process.stdout.write(`${JSON.stringify(await getScoringSettings(db), null, 2)}\n`);
      return 0;
    }

    const started = performance.now();
    const { assetCount } = await db.transaction(async (tx) => {
      if (update !== undefined) {
        const current = await getScoringSettings(tx);
        await saveScoringSettings(tx, mergeSettings(current, update));
      }
      return recomputeAllRiskScores(tx);
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (update !== undefined) process.stdout.write('Stored the scoring settings.\n');
    process.stdout.write(`Recomputed the Risk Scores of ${assetCount} assets in ${seconds} s.\n`);
    return 0;
  } finally {
    await database.handle.close();
  }
}

/** Merges given fields into the current settings, object by object, so unnamed fields keep their values. */
function mergeSettings(current: unknown, update: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(update)) return update;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(update)) merged[key] = mergeSettings(current[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
