import fs from 'node:fs';
import path from 'node:path';

/**
 * Owner of an embedded-database folder. PGlite has no cross-process locking, so two processes
 * opening one folder would corrupt it. Every process that opens the folder writes this file first.
 */
export interface DataDirOwner {
  pid: number;
  role: 'server' | 'cli';
  startedAt: string;
  /** Port of the HTTP server, when the owner is the server. */
  port?: number;
  /** Random per-start secret the CLI presents to the server's import API; the file is mode 0600. */
  localToken?: string;
}

export class DataDirBusyError extends Error {
  readonly owner: DataDirOwner;

  constructor(dir: string, owner: DataDirOwner) {
    super(
      owner.role === 'server'
        ? `The Riskboard server (pid ${owner.pid}) has the database folder ${dir} open.`
        : `Another riskboard command (pid ${owner.pid}) has the database folder ${dir} open; wait for it to finish.`,
    );
    this.name = 'DataDirBusyError';
    this.owner = owner;
  }
}

const LOCK_FILE = 'riskboard.lock';

export function lockPath(dir: string): string {
  return path.join(dir, LOCK_FILE);
}

/** Returns the live owner of the folder, or undefined when it is free or the owner has died. */
export function readOwner(dir: string): DataDirOwner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockPath(dir), 'utf8');
  } catch {
    return undefined;
  }

  let owner: DataDirOwner;
  try {
    owner = JSON.parse(text) as DataDirOwner;
  } catch {
    return undefined;
  }
  if (owner.pid === process.pid) return owner;
  return isAlive(owner.pid) ? owner : undefined;
}

/**
 * Takes the folder for this process or throws DataDirBusyError. The lock file is created with
 * O_EXCL so two processes starting at once cannot both win; a file left by a dead process is
 * replaced.
 */
export function acquireDataDir(dir: string, owner: Omit<DataDirOwner, 'pid' | 'startedAt'>): DataDirOwner {
  // The folder contains the whole database, including the session-signing secret in its WAL,
  // and PGlite creates its files readable by all. A private folder keeps other local users out.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const full: DataDirOwner = { ...owner, pid: process.pid, startedAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath(dir), JSON.stringify(full), { flag: 'wx', mode: 0o600 });
      releaseOnExit(dir);
      return full;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const current = readOwner(dir);
    if (current && current.pid !== process.pid) throw new DataDirBusyError(dir, current);
    // The previous owner died without removing its lock (or it is ours from an earlier open).
    fs.rmSync(lockPath(dir), { force: true });
  }
  throw new Error(`Could not take the database folder ${dir}; remove ${lockPath(dir)} if no Riskboard process is running.`);
}

/** Updates fields of this process's lock, e.g. the port once the server listens. */
export function updateOwner(dir: string, fields: Partial<Pick<DataDirOwner, 'port' | 'localToken'>>): void {
  const current = readOwner(dir);
  if (!current || current.pid !== process.pid) return;
  fs.writeFileSync(lockPath(dir), JSON.stringify({ ...current, ...fields }), { mode: 0o600 });
}

export function releaseDataDir(dir: string): void {
  const current = readOwner(dir);
  if (current?.pid === process.pid) fs.rmSync(lockPath(dir), { force: true });
}

const registered = new Set<string>();

function releaseOnExit(dir: string): void {
  if (registered.has(dir)) return;
  registered.add(dir);
  process.once('exit', () => releaseDataDir(dir));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
