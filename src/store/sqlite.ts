import { accessSync, constants, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describeError, MedicStoreError } from '../errors.js';
import type { AttemptQuery, KnowledgeStore, RunEnd } from './KnowledgeStore.js';
import { unknownRun } from './memory.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';

export type SqliteStoreOptions = {
  /** Path of the database file; its folder is created when missing. */
  path: string;
  busyTimeoutMs?: number;
};

/**
 * The embedded default: one SQLite file (WAL, busy timeout, versioned migrations), safe to
 * share between the processes of one machine.
 * @example const store = openSqliteStore({ path: '.medic/medic.db' });
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { path } = options;
  prepareFolder(path);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new MedicStoreError(`The knowledge store path ${path} is a directory, not a database file.`, {
      fix: `Remove or rename that directory, or point store.path (MEDIC_STORE_PATH) at a file.`,
    });
  }
  const writable = existsSync(path) ? path : dirname(path);
  try {
    accessSync(writable, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new MedicStoreError(
      `Cannot open the knowledge store ${path}: ${writable === path ? 'the file' : `its folder ${writable}`} is not writable.`,
      { fix: `Give this user write access to ${writable}, or point store.path (MEDIC_STORE_PATH) at a writable location.`, cause: error },
    );
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
  } catch (error) {
    throw new MedicStoreError(`Cannot open the knowledge store ${path}: ${describeError(error)}.`, {
      fix: `Check that ${dirname(path)} is writable, or point store.path (MEDIC_STORE_PATH) elsewhere.`,
      cause: error,
    });
  }
  try {
    migrate(db, path);
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

function migrate(db: Database.Database, path: string): void {
  let version: number;
  let applicationId: number;
  let tables: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    applicationId = db.pragma('application_id', { simple: true }) as number;
    tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
  } catch (error) {
    throw new MedicStoreError(`The knowledge store ${path} is not a readable SQLite database (${describeError(error)}). Nothing was changed.`, {
      fix: `Move it aside (mv ${path} ${path}.broken) to start a new store, or point store.path (MEDIC_STORE_PATH) elsewhere.`,
      cause: error,
    });
  }
  if (applicationId !== APPLICATION_ID && (applicationId !== 0 || tables > 0)) {
    throw new MedicStoreError(`${path} is a SQLite database, but not playwright-medic's. Nothing was changed.`, {
      fix: `Point store.path (MEDIC_STORE_PATH) at another file; playwright-medic will create it.`,
    });
  }
  if (version > LATEST_SCHEMA_VERSION) {
    throw new MedicStoreError(
      `The knowledge store ${path} has schema version ${version}, newer than this playwright-medic knows (${LATEST_SCHEMA_VERSION}). Nothing was changed.`,
      { fix: 'Upgrade playwright-medic (npm install -D playwright-medic@latest), or point store.path at another file.' },
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new MedicStoreError(`Cannot configure the knowledge store ${path}: ${describeError(error)}.`, {
      fix: `Check that ${path} and its folder are writable, or point store.path (MEDIC_STORE_PATH) elsewhere.`,
      cause: error,
    });
  }
  if (version === LATEST_SCHEMA_VERSION) return;
  if (version > 0) copyFileSync(path, `${path}.v${version}.bak`); // keep the old data before changing it
  const apply = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let next = current; next < LATEST_SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next]!);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
  });
  apply.immediate();
}

export class SqliteStore implements KnowledgeStore {
  readonly kind = 'sqlite';
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    this.statements = {
      insertRun: db.prepare(
        'INSERT INTO runs (id, project, started_at, ended_at, status, data) VALUES (@id, @project, @startedAt, @endedAt, @status, @data)',
      ),
      updateRun: db.prepare('UPDATE runs SET ended_at = @endedAt, status = @status, data = @data WHERE id = @id'),
      getRun: db.prepare('SELECT data FROM runs WHERE id = ?'),
      upsertAttempt: db.prepare(
        `INSERT OR REPLACE INTO attempts (run_id, test_id, retry, test_key, status, outcome, category, signature, started_at, data)
         VALUES (@runId, @testId, @retry, @testKey, @status, @outcome, @category, @signature, @startedAt, @data)`,
      ),
    };
  }

  async startRun(run: RunRecord): Promise<void> {
    const parsed = runRecordSchema.parse(run);
    this.write(() => this.statements.insertRun.run({ ...parsed, data: JSON.stringify(parsed) }));
  }

  async finishRun(runId: string, end: RunEnd): Promise<void> {
    const run = await this.getRun(runId);
    if (!run) throw unknownRun(runId);
    const next = runRecordSchema.parse({ ...run, ...end });
    this.write(() => this.statements.updateRun.run({ id: runId, endedAt: next.endedAt, status: next.status, data: JSON.stringify(next) }));
  }

  async recordAttempt(attempt: AttemptRecord): Promise<void> {
    const parsed = attemptRecordSchema.parse(attempt);
    this.write(() => {
      try {
        this.statements.upsertAttempt.run({
          ...parsed,
          category: parsed.error?.category ?? null,
          signature: parsed.error?.signature ?? null,
          data: JSON.stringify(parsed),
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw unknownRun(parsed.runId);
        throw error;
      }
    });
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.read(() => this.statements.getRun.get(runId) as { data: string } | undefined);
    return row && parseRow(runRecordSchema, row.data, 'runs', this.location);
  }

  async listRuns(query: { project?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const where = query.project === undefined ? '' : 'WHERE project = @project';
    const limit = query.limit === undefined ? '' : 'LIMIT @limit';
    const rows = this.read(
      () => this.db.prepare(`SELECT data FROM runs ${where} ORDER BY started_at DESC, rowid DESC ${limit}`).all(query) as { data: string }[],
    );
    return rows.map((row) => parseRow(runRecordSchema, row.data, 'runs', this.location));
  }

  async listAttempts(query: AttemptQuery = {}): Promise<AttemptRecord[]> {
    const conditions = [query.runId !== undefined && 'run_id = @runId', query.testKey !== undefined && 'test_key = @testKey'].filter(Boolean);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const order = query.limit === undefined ? 'ORDER BY rowid' : 'ORDER BY rowid DESC LIMIT @limit';
    const rows = this.read(() => this.db.prepare(`SELECT data FROM attempts ${where} ${order}`).all(query) as { data: string }[]);
    return rows.map((row) => parseRow(attemptRecordSchema, row.data, 'attempts', this.location));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private write<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof MedicStoreError) throw error;
      throw new MedicStoreError(`Cannot write to the knowledge store ${this.location}: ${describeError(error)}.`, {
        fix: 'Check the disk space and that the file is writable; `medic doctor` checks the store.',
        cause: error,
      });
    }
  }

  private read<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw new MedicStoreError(`Cannot read the knowledge store ${this.location}: ${describeError(error)}.`, {
        fix: '`medic doctor` checks the store.',
        cause: error,
      });
    }
  }
}

function parseRow<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error } }, data: string, table: string, location: string): T {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new MedicStoreError(`A row of ${table} in ${location} is not valid JSON.`, { fix: '`medic doctor` checks the store.', cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new MedicStoreError(`A row of ${table} in ${location} does not match its schema: ${parsed.error.message}`, {
      fix: 'It was probably written by another version of playwright-medic; upgrade, or run `medic doctor`.',
    });
  }
  return parsed.data;
}
