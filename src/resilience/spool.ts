import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { describeError, MedicStoreError } from '../errors.js';
import { retryWhileBusy } from '../store/sqliteBusy.js';

/** The store writes a spool keeps, and `learn` (learn from a run once its records are written). */
export const SPOOL_METHODS = [
  'startRun',
  'finishRun',
  'recordAttempt',
  'recordSelectors',
  'putSelectors',
  'recordHeals',
  'putFailurePatterns',
  'putSuccessPatterns',
  'recordStrategyExecutions',
  'recordPredictions',
  'putModel',
  'putVectors',
  'deleteVectors',
  'learn',
] as const;
export type SpoolMethod = (typeof SPOOL_METHODS)[number];

const spooledSchema = z.object({
  seq: z.number().int().positive(),
  target: z.string().min(1),
  opId: z.string().min(1),
  method: z.enum(SPOOL_METHODS),
  args: z.array(z.unknown()),
  at: z.iso.datetime(),
});
export type SpooledWrite = z.infer<typeof spooledSchema>;

/** How long a spool write waits for another process's. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * A durable, ordered log of the writes a shared store could not take (its server was down),
 * in a SQLite file of its own (`.medic/spool.db`): each write with the store it was meant for
 * (`target`), replayed in order when that store is back. Safe for several processes (WAL).
 * @example const spool = Spool.open('.medic/spool.db'); spool.append(target, 'recordAttempt', [attempt]);
 */
export class Spool {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  static open(path: string): Spool {
    try {
      mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      // Shards starting together open a new spool together: the switch to WAL waits its turn.
      retryWhileBusy(() => db.pragma('journal_mode = WAL'), BUSY_TIMEOUT_MS);
      db.exec(`CREATE TABLE IF NOT EXISTS writes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        target TEXT NOT NULL,
        op_id TEXT NOT NULL UNIQUE,
        method TEXT NOT NULL,
        args TEXT NOT NULL,
        at TEXT NOT NULL
      )`);
      return new Spool(db, path);
    } catch (error) {
      throw new MedicStoreError(`The spool ${path} cannot be opened: ${describeError(error)}`, {
        fix: `Make its folder writable, or point store.spoolPath (MEDIC_STORE_SPOOL_PATH) elsewhere; move a corrupt file aside (mv ${path} ${path}.broken).`,
        cause: error,
      });
    }
  }

  /** Keeps a write for `target`, after every write kept before it. */
  append(target: string, method: SpoolMethod, args: unknown[], opId: string = randomUUID()): void {
    this.db
      .prepare('INSERT OR IGNORE INTO writes (target, op_id, method, args, at) VALUES (?, ?, ?, ?, ?)')
      .run(target, opId, method, JSON.stringify(args), new Date().toISOString());
  }

  /** The writes kept for `target`, oldest first (the oldest `limit` of them when given). */
  pending(target: string, limit = -1): SpooledWrite[] {
    const rows = this.db.prepare('SELECT seq, target, op_id AS opId, method, args, at FROM writes WHERE target = ? ORDER BY seq LIMIT ?').all(target, limit) as (Omit<SpooledWrite, 'args'> & { args: string })[];
    return rows.map((row) => {
      const parsed = spooledSchema.safeParse({ ...row, args: safeJson(row.args) });
      if (!parsed.success) {
        throw new MedicStoreError(`Write ${row.seq} of the spool ${this.path} is unreadable: ${parsed.error.message}`, {
          fix: `It was changed outside playwright-medic: move the spool aside (mv ${this.path} ${this.path}.broken) to start a new one.`,
        });
      }
      return parsed.data;
    });
  }

  remove(seq: number): void {
    this.db.prepare('DELETE FROM writes WHERE seq = ?').run(seq);
  }

  /** How many writes wait, for one target or for all. */
  count(target?: string): number {
    const row = (target === undefined ? this.db.prepare('SELECT COUNT(*) AS n FROM writes').get() : this.db.prepare('SELECT COUNT(*) AS n FROM writes WHERE target = ?').get(target)) as { n: number };
    return row.n;
  }

  /** The targets that have writes waiting. */
  targets(): string[] {
    return (this.db.prepare('SELECT DISTINCT target FROM writes ORDER BY target').all() as { target: string }[]).map((r) => r.target);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
