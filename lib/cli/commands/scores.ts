import { parseArgs } from 'node:util';
import { recomputeAllRiskScores } from '../../scoring/recompute';
import { openCliDatabase } from '../open-cli-db';
import { CliUsageError } from '../usage-error';

/**
 * `riskboard scores recompute`: recomputes every asset's criticality and v1 and v2 Risk Scores and
 * upserts today's snapshot of the organization, every business entity and every tag. Run it after
 * changing the scoring settings or tag criticality.
 */
export async function runScores(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  parseArgs({ args: rest, options: {} });
  if (action !== 'recompute') throw new CliUsageError('scores takes "recompute"');

  const database = await openCliDatabase({ viaServer: false });
  if (database.kind !== 'direct') throw new Error('unreachable: scores recompute never goes through the server');
  const { db } = database.handle;
  try {
    const started = performance.now();
    const { assetCount } = await db.transaction((tx) => recomputeAllRiskScores(tx));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Recomputed the Risk Scores of ${assetCount} assets in ${seconds} s.\n`);
    return 0;
  } finally {
    await database.handle.close();
  }
}
