import path from 'node:path';

/** Root of the Riskboard checkout or package; the CLI sets RISKBOARD_ROOT so it works from any folder. */
export function projectRoot(): string {
  return process.env.RISKBOARD_ROOT ?? process.cwd();
}

/** Folder of the embedded database when DATABASE_URL is unset. */
export function dataDir(): string {
  return path.resolve(projectRoot(), process.env.RISKBOARD_DATA_DIR ?? '.data');
}

export function migrationsDir(): string {
  return path.join(projectRoot(), 'db', 'migrations');
}
