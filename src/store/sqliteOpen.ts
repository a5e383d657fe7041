import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describeError, MedicStoreError } from '../errors.js';
import { APPLICATION_ID, MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite.js';
import { retryWhileBusy } from './sqliteBusy.js';
import { translateSqliteError as translate } from './sqliteErrors.js';

export type SqliteStoreOptions = {
  /** Path of the database file; its folder is created when missing. */
  path: string;
  busyTimeoutMs?: number;
  /** Open an existing store for reading only: nothing is created, migrated or written. */
  readonly?: boolean;
  /** The schema, for tests of upgrades; the shipped migrations by default. */
  migrations?: readonly string[];
};

/**
 * The embedded default: one SQLite file (WAL, busy timeout, versioned migrations), safe to
 * share between the processes of one machine.
 * @example const store = openSqliteStore({ path: '.medic/medic.db' });
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { path, readonly = false, migrations = MIGRATIONS } = options;
  if (readonly && !existsSync(path)) {
    throw new MedicStoreError(`There is no knowledge store at ${path} yet.`, {
      fix: "Run your suite with the reporter ['playwright-medic/reporter'] first, or pass the store's path with --store.",
    });
  }
  if (!readonly) prepareFolder(path);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new MedicStoreError(`The knowledge store path ${path} is a directory, not a database file.`, {
      fix: 'Remove or rename that directory, or point store.path (MEDIC_STORE_PATH) at a file.',
    });
  }
  // WAL needs the folder writable too (for -wal and -shm), even when the file is.
  for (const target of readonly ? [path] : [dirname(path), ...(existsSync(path) ? [path] : [])]) {
    try {
      accessSync(target, readonly ? constants.R_OK : constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new MedicStoreError(
        `Cannot open the knowledge store ${path}: ${target === path ? 'the file' : `its folder ${target}`} is not ${readonly ? 'readable' : 'writable'}.`,
        { fix: `Give this user access to ${target}, or point store.path (MEDIC_STORE_PATH) at another location.`, cause: error },
      );
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000, readonly, fileMustExist: readonly });
  } catch (error) {
    throw translate(error, path, 'open');
  }
  try {
    prepare(db, path, readonly, migrations, options.busyTimeoutMs ?? 10_000);
    return new SqliteStore(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
}

function prepareFolder(path: string): void {
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file is in the way of that folder'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'it is not writable'
          : describeError(error);
    throw new MedicStoreError(`Cannot create the knowledge store folder ${folder}: ${reason}.`, {
      fix: `Make ${folder} a writable folder, or point store.path (MEDIC_STORE_PATH) at a writable location.`,
      cause: error,
    });
  }
}

type Header = { version: number; applicationId: number; tables: number };

/** What `medic doctor` shows of a SQLite store, read without changing it. */
export type SqliteInspection = {
  /** PRAGMA user_version, and the version this playwright-medic writes. */
  version: number;
  latest: number;
  /** False: the file is a SQLite database of another program. */
  ours: boolean;
  /** PRAGMA quick_check's answer: `ok`, or what is corrupt. */
  integrity: string;
  runs: number;
};

/**
 * Reads the header, the integrity and the run count of an existing store file, read-only.
 * Throws MedicStoreError (translated) when it is not a readable SQLite file.
 */
export function inspectSqlite(path: string, migrations: readonly string[] = MIGRATIONS): SqliteInspection {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw translate(error, path, 'open');
  }
  try {
    const header = readHeader(db);
    const ours = header.applicationId === APPLICATION_ID || (header.applicationId === 0 && header.tables === 0);
    const integrity = (db.pragma('quick_check', { simple: true }) as string) ?? 'unknown';
    const hasRuns = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get() as { n: number };
    const runs = ours && hasRuns.n > 0 ? (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n : 0;
    return { version: header.version, latest: migrations.length, ours, integrity, runs };
  } catch (error) {
    throw translate(error, path, 'read');
  } finally {
    db.close();
  }
}

function readHeader(db: Database.Database): Header {
  return {
    version: db.pragma('user_version', { simple: true }) as number,
    applicationId: db.pragma('application_id', { simple: true }) as number,
    tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
  };
}

/** Refuses what is not ours or too new; nothing is written before these checks pass. */
function check(header: Header, path: string, latest: number): void {
  if (header.applicationId !== APPLICATION_ID && (header.applicationId !== 0 || header.tables > 0)) {
    throw new MedicStoreError(`${path} is a SQLite database, but not playwright-medic's. Nothing was changed.`, {
      fix: 'Point store.path (MEDIC_STORE_PATH) at another file; playwright-medic will create it.',
    });
  }
  if (header.version > latest) {
    throw new MedicStoreError(
      `The knowledge store ${path} has schema version ${header.version}, newer than this playwright-medic knows (${latest}). Nothing was changed.`,
      { fix: 'Upgrade playwright-medic (npm install -D playwright-medic@latest), or point store.path at another file.' },
    );
  }
}

function prepare(db: Database.Database, path: string, readonly: boolean, migrations: readonly string[], busyTimeoutMs: number): void {
  const latest = migrations.length;
  let header: Header;
  try {
    header = db.transaction(() => readHeader(db))(); // one snapshot: another process may be migrating
  } catch (error) {
    throw translate(error, path, 'read');
  }
  check(header, path, latest);
  if (readonly) {
    if (header.version < latest) {
      throw new MedicStoreError(`The knowledge store ${path} has the older schema version ${header.version} (this version reads ${latest}).`, {
        fix: 'Run your suite once with the reporter: it upgrades the store (keeping a backup).',
      });
    }
    return;
  }
  try {
    retryWhileBusy(() => db.pragma('journal_mode = WAL'), busyTimeoutMs);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    if (header.version === latest) return;
    db.transaction(() => {
      // Inside the write lock: another process may have migrated since the first look.
      const current = readHeader(db);
      check(current, path, latest);
      if (current.version === latest) return;
      if (current.version > 0) writeFileSync(`${path}.v${current.version}.bak`, db.serialize()); // the old data, WAL included
      for (let next = current.version; next < latest; next++) db.exec(migrations[next]!);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${latest}`);
    }).immediate();
  } catch (error) {
    throw translate(error, path, 'write');
  }
}

