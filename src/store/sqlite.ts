import type Database from 'better-sqlite3';
import { MedicStoreError } from '../errors.js';
import type { AttemptQuery, KnowledgeStore, RunEnd } from './KnowledgeStore.js';
import { duplicateRun, unknownRun } from './memory.js';
import { translateSqliteError } from './sqliteErrors.js';
import { attemptQuerySchema, runQuerySchema } from './queries.js';
import { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';

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
    this.write(() => {
      try {
        this.statements.insertRun.run({ ...parsed, data: JSON.stringify(parsed) });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw duplicateRun(parsed.id);
        throw error;
      }
    });
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

  async listRuns(options: { project?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const query = runQuerySchema.parse(options);
    const where = query.project === undefined ? '' : 'WHERE project = @project';
    const limit = query.limit === undefined ? '' : 'LIMIT @limit';
    const rows = this.read(
      () => this.db.prepare(`SELECT data FROM runs ${where} ORDER BY started_at DESC, rowid DESC ${limit}`).all(query) as { data: string }[],
    );
    return rows.map((row) => parseRow(runRecordSchema, row.data, 'runs', this.location));
  }

  async listAttempts(options: AttemptQuery = {}): Promise<AttemptRecord[]> {
    const query = attemptQuerySchema.parse(options);
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
      throw translateSqliteError(error, this.location, 'write');
    }
  }

  private read<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw translateSqliteError(error, this.location, 'read');
    }
  }
}

function parseRow<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error } }, data: string, table: string, location: string): T {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new MedicStoreError(`A row of ${table} in ${location} is not valid JSON.`, { fix: 'The file was changed outside playwright-medic; move it aside to start a new store.', cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new MedicStoreError(`A row of ${table} in ${location} does not match its schema: ${parsed.error.message}`, {
      fix: 'It was probably written by another version of playwright-medic: use the same version everywhere the store is shared.',
    });
  }
  return parsed.data;
}
