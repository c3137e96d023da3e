import { rotateSigningKey } from '../../api-access/signing-keys';
import { openCliDatabase } from '../open-cli-db';
import { CliUsageError } from '../usage-error';

/** `riskboard keys rotate`: replaces the key that signs API access tokens. */
export async function runKeys(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'rotate') throw new CliUsageError('keys takes "rotate"');
  if (rest.length > 0) throw new CliUsageError(`keys rotate takes no arguments, got ${rest.join(' ')}`);

  const database = await openCliDatabase({ viaServer: false });
  if (database.kind !== 'direct') throw new Error('unreachable: keys commands never go through the server');
  try {
    const { kid, retired } = await rotateSigningKey(database.handle.db);
    const retiredText = retired.length > 0 ? `; retired ${retired.join(', ')}, published until their tokens expire` : '';
    process.stdout.write(`New token signing key ${kid}${retiredText}.\n`);
    return 0;
  } finally {
    await database.handle.close();
  }
}
