import type Database from 'better-sqlite3';
import { selectorRecordSchema, type SelectorObservation, type SelectorRecord } from '../learning/catalog.js';
import { healEventSchema, type HealEvent } from '../learning/heals.js';
import type { AttemptQuery, HealQuery, KnowledgeStore, PatternQuery, RunEnd, ScannedVector, SelectorQuery } from './KnowledgeStore.js';
import { batchIdSchema, mergeSelectorBatch, parseHeals, parseSelectorBatch, type HealEventInput } from './learning.js';
import { duplicateRun, unknownRun } from './memory.js';
import { translateSqliteError } from './sqliteErrors.js';
import { parseRow, type RowSchema } from './rows.js';
import { fileLock, processLock } from './locks.js';
import { attemptQuerySchema, healQuerySchema, patternQuerySchema, runQuerySchema, selectorQuerySchema, successQuerySchema, type SuccessQuery } from './queries.js';
import { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';
import { matchesWhere, metadataSchema, vectorQuerySchema, vectorRecordSchema, type VectorQuery, type VectorRecord, type VectorRecordInput } from '../vector/records.js';
import { z } from 'zod';
import { failurePatternSchema, type FailurePattern } from '../learning/failurePatterns.js';
import { successPatternSchema, type SuccessPattern } from '../learning/successPatterns.js';
import { breakerStateSchema, openBreakers, type BreakerState } from '../resilience/breakerBoard.js';
import { EXECUTIONS_KEPT, parseRunExecutions, strategyExecutionSchema, strategyQuerySchema, type StrategyExecution, type StrategyQuery } from '../learning/strategies.js';
import { PREDICTION_RUNS_KEPT, predictionQuerySchema, riskPredictionSchema, type PredictionQuery, type RiskPrediction } from '../risk/predictions.js';
import { modelQuerySchema, modelRecordSchema, type ModelQuery, type ModelRecord } from './models.js';

export class SqliteStore implements KnowledgeStore {
  readonly kind = 'sqlite';
  private readonly statements;
  // Prepared on first use: a store opened with an older schema (tests of upgrades) has no such tables.
  private readonly prepared = new Map<string, Database.Statement>();
  private readonly lock = processLock();

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

  async recordSelectors(project: string, observations: SelectorObservation[], options: { batchId?: string } = {}): Promise<void> {
    const batch = parseSelectorBatch(project, observations);
    const batchId = batchIdSchema.parse(options.batchId);
    if (batch.observations.length === 0) return;
    // Read, merge and write under one write lock, so a concurrent batch cannot slip in between.
    this.write(() => {
      const get = this.statement('SELECT data FROM selectors WHERE project = ? AND page_key = ? AND selector = ?');
      const put = this.statement(
        'INSERT OR REPLACE INTO selectors (project, page_key, selector, last_seen, data) VALUES (@project, @pageKey, @selector, @lastSeen, @data)',
      );
      const applied = this.statement('INSERT OR IGNORE INTO applied_batches (id, at) VALUES (?, ?)');
      this.db
        .transaction(() => {
          if (batchId !== undefined && applied.run(batchId, new Date().toISOString()).changes === 0) return; // applied before
          const records = mergeSelectorBatch(batch, (pageKey, selector) => {
            const row = get.get(batch.project, pageKey, selector) as { data: string } | undefined;
            return row && parseRow(selectorRecordSchema, row.data, 'selectors', this.location);
          });
          for (const record of records) put.run({ ...record, data: JSON.stringify(record) });
        })
        .immediate();
    });
  }

  async putSelectors(records: SelectorRecord[]): Promise<void> {
    const parsed = z.array(selectorRecordSchema).parse(records);
    if (parsed.length === 0) return;
    this.write(() => {
      const put = this.statement(
        'INSERT OR REPLACE INTO selectors (project, page_key, selector, last_seen, data) VALUES (@project, @pageKey, @selector, @lastSeen, @data)',
      );
      this.db.transaction(() => parsed.forEach((record) => put.run({ ...record, data: JSON.stringify(record) }))).immediate();
    });
  }

  async listSelectors(options: SelectorQuery = {}): Promise<SelectorRecord[]> {
    const query = selectorQuerySchema.parse(options);
    const { where, params } = conditions({ project: query.project, page_key: query.pageKey, selector: query.selector });
    const limit = query.limit === undefined ? '' : 'LIMIT @limit';
    const rows = this.read(
      () =>
        this.db.prepare(`SELECT data FROM selectors ${where} ORDER BY last_seen DESC, rowid DESC ${limit}`).all({ ...params, limit: query.limit }) as { data: string }[],
    );
    return rows.map((row) => parseRow(selectorRecordSchema, row.data, 'selectors', this.location));
  }

  async recordHeals(events: HealEventInput[]): Promise<void> {
    const parsed = parseHeals(events);
    if (parsed.length === 0) return;
    this.write(() => {
      const put = this.statement(
        `INSERT OR REPLACE INTO heals (run_id, id, project, test_key, review, at, data)
         VALUES (@runId, @id, @project, @testKey, @review, @at, @data)`,
      );
      this.db
        .transaction(() => {
          for (const event of parsed) {
            try {
              put.run({ ...event, data: JSON.stringify(event) });
            } catch (error) {
              if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw unknownRun(event.runId);
              throw error;
            }
          }
        })
        .immediate();
    });
  }

  async listHeals(options: HealQuery = {}): Promise<HealEvent[]> {
    const query = healQuerySchema.parse(options);
    const { where, params } = conditions({ project: query.project, run_id: query.runId, test_key: query.testKey, review: query.review });
    const limit = query.limit === undefined ? '' : 'LIMIT @limit';
    const rows = this.read(
      () =>
        this.db.prepare(`SELECT data FROM heals ${where} ORDER BY at DESC, rowid DESC ${limit}`).all({ ...params, limit: query.limit }) as { data: string }[],
    );
    return rows.map((row) => parseRow(healEventSchema, row.data, 'heals', this.location));
  }

  async putFailurePatterns(patterns: FailurePattern[]): Promise<void> {
    const parsed = z.array(failurePatternSchema).parse(patterns);
    if (parsed.length === 0) return;
    this.write(() => {
      const put = this.statement(
        'INSERT OR REPLACE INTO failure_patterns (project, id, category, last_seen, data) VALUES (@project, @id, @category, @lastSeen, @data)',
      );
      this.db.transaction(() => parsed.forEach((p) => put.run({ ...p, data: JSON.stringify(p) }))).immediate();
    });
  }

  async listFailurePatterns(options: PatternQuery = {}): Promise<FailurePattern[]> {
    const query = patternQuerySchema.parse(options);
    return this.newestRows('failure_patterns', 'last_seen', failurePatternSchema, { project: query.project, category: query.category }, query.limit);
  }

  async putSuccessPatterns(patterns: SuccessPattern[]): Promise<void> {
    const parsed = z.array(successPatternSchema).parse(patterns);
    if (parsed.length === 0) return;
    this.write(() => {
      const put = this.statement('INSERT OR REPLACE INTO success_patterns (project, id, feature, last_seen, data) VALUES (@project, @id, @feature, @lastSeen, @data)');
      this.db.transaction(() => parsed.forEach((p) => put.run({ ...p, data: JSON.stringify(p) }))).immediate();
    });
  }

  async listSuccessPatterns(options: SuccessQuery = {}): Promise<SuccessPattern[]> {
    const query = successQuerySchema.parse(options);
    return this.newestRows('success_patterns', 'last_seen', successPatternSchema, { project: query.project, feature: query.feature }, query.limit);
  }

  async recordStrategyExecutions(runId: string, executions: StrategyExecution[]): Promise<void> {
    const { runId: run, executions: parsed } = parseRunExecutions(runId, executions);
    this.write(() => {
      const del = this.statement('DELETE FROM strategy_executions WHERE run_id = ?');
      const put = this.statement('INSERT INTO strategy_executions (project, run_id, strategy, task_type, at, data) VALUES (@project, @runId, @strategy, @taskType, @at, @data)');
      const trim = this.statement(
        `DELETE FROM strategy_executions WHERE rowid IN (
           SELECT rowid FROM strategy_executions WHERE project = ? AND strategy = ? AND task_type = ? ORDER BY at DESC, rowid DESC LIMIT -1 OFFSET ${EXECUTIONS_KEPT})`,
      );
      this.db
        .transaction(() => {
          del.run(run);
          parsed.forEach((e) => put.run({ ...e, data: JSON.stringify(e) }));
          const keys = new Set(parsed.map((e) => JSON.stringify([e.project, e.strategy, e.taskType])));
          for (const key of keys) trim.run(...(JSON.parse(key) as string[]));
        })
        .immediate();
    });
  }

  async listStrategyExecutions(options: StrategyQuery = {}): Promise<StrategyExecution[]> {
    const query = strategyQuerySchema.parse(options);
    return this.newestRows('strategy_executions', 'at', strategyExecutionSchema, { project: query.project, strategy: query.strategy, task_type: query.taskType }, query.limit);
  }

  async recordPredictions(predictions: RiskPrediction[]): Promise<void> {
    const parsed = z.array(riskPredictionSchema).parse(predictions);
    if (parsed.length === 0) return;
    this.write(() => {
      const put = this.statement('INSERT OR REPLACE INTO risk_predictions (project, run_id, test_key, at, data) VALUES (@project, @runId, @testKey, @at, @data)');
      // A run's time is the latest `at` of its predictions; the runs after the newest PREDICTION_RUNS_KEPT go.
      const trim = this.statement(
        `DELETE FROM risk_predictions WHERE project = @project AND run_id IN (
           SELECT run_id FROM risk_predictions WHERE project = @project GROUP BY run_id ORDER BY max(at) DESC, run_id DESC LIMIT -1 OFFSET ${PREDICTION_RUNS_KEPT})`,
      );
      // One write transaction: a concurrent writer's runs are counted before or after ours, never half.
      this.db
        .transaction(() => {
          parsed.forEach((p) => put.run({ ...p, data: JSON.stringify(p) }));
          for (const project of new Set(parsed.map((p) => p.project))) trim.run({ project });
        })
        .immediate();
    });
  }

  async listPredictions(options: PredictionQuery = {}): Promise<RiskPrediction[]> {
    const query = predictionQuerySchema.parse(options);
    return this.rows('risk_predictions', 'at DESC, run_id DESC, test_key', riskPredictionSchema, { project: query.project, run_id: query.runId }, query.limit);
  }

  async putModel(model: ModelRecord): Promise<void> {
    const parsed = modelRecordSchema.parse(model);
    // One statement: a concurrent writer's model is replaced whole (the last write wins).
    this.write(() => this.statement('INSERT OR REPLACE INTO models (project, name, at, data) VALUES (@project, @name, @at, @data)').run({ ...parsed, data: JSON.stringify(parsed) }));
  }

  async getModel(project: string, name: string): Promise<ModelRecord | undefined> {
    const row = this.read(() => this.statement('SELECT data FROM models WHERE project = ? AND name = ?').get(project, name) as { data: string } | undefined);
    return row && parseRow(modelRecordSchema, row.data, 'models', this.location);
  }

  async listModels(options: ModelQuery = {}): Promise<ModelRecord[]> {
    const query = modelQuerySchema.parse(options);
    return this.rows('models', 'project, name', modelRecordSchema, { project: query.project }, undefined);
  }

  async putVectors(records: VectorRecordInput[]): Promise<void> {
    const parsed = z.array(vectorRecordSchema).parse(records);
    if (parsed.length === 0) return;
    this.write(() => {
      // An upsert keeps the row (and its place in insertion order) of a replaced vector.
      const put = this.statement(
        `INSERT INTO vectors (collection, id, embedder, metadata, vector) VALUES (@collection, @id, @embedder, @metadata, @vector)
         ON CONFLICT (collection, id) DO UPDATE SET embedder = excluded.embedder, metadata = excluded.metadata, vector = excluded.vector`,
      );
      this.db
        .transaction(() => {
          for (const r of parsed) {
            put.run({ ...r, metadata: JSON.stringify(r.metadata), vector: Buffer.from(new Float32Array(r.vector).buffer) });
          }
        })
        .immediate();
    });
  }

  async listVectors(options: VectorQuery): Promise<VectorRecord[]> {
    const query = vectorQuerySchema.parse(options);
    const out: VectorRecord[] = [];
    this.eachVector(query, (embedder, { id, vector, metadata }) => out.push({ collection: query.collection, id, embedder, metadata, vector: Array.from(vector) }));
    return out;
  }

  async scanVectors(options: VectorQuery, visit: (item: ScannedVector) => void): Promise<void> {
    this.eachVector(vectorQuerySchema.parse(options), (_, item) => visit(item));
  }

  /** Each vector of a (parsed) query as it is read, its floats a view of the row's blob. */
  private eachVector(query: VectorQuery, visit: (embedder: string, item: ScannedVector) => void): void {
    const { where, params } = conditions({ collection: query.collection, embedder: query.embedder });
    this.read(() => {
      const rows = this.statement(`SELECT id, embedder, metadata, vector FROM vectors ${where} ORDER BY rowid`).iterate(params) as IterableIterator<{ id: string; embedder: string; metadata: string; vector: Buffer }>;
      for (const row of rows) {
        const metadata = parseRow(metadataSchema, row.metadata, 'vectors', this.location);
        if (!matchesWhere(metadata, query.where)) continue;
        const blob = row.vector;
        // A view of the blob where it is 4-aligned, else a copy.
        const vector = blob.byteOffset % 4 === 0 ? new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4) : new Float32Array(new Uint8Array(blob).buffer);
        visit(row.embedder, { id: row.id, vector, metadata });
      }
    });
  }

  async deleteVectors(collection: string, ids: string[]): Promise<void> {
    const list = z.array(z.string()).parse(ids);
    if (list.length === 0) return;
    this.write(() => {
      const del = this.statement('DELETE FROM vectors WHERE collection = ? AND id = ?');
      this.db.transaction(() => list.forEach((id) => del.run(collection, id))).immediate();
    });
  }

  /** Across the processes of this machine: a lock folder next to the database file. */
  exclusive<T>(name: string, action: () => Promise<T>): Promise<T> {
    return this.lock(name, () => fileLock(`${this.location}.lock-${encodeURIComponent(name)}`, name, action, this.location));
  }

  /** A read-only store (the CLI's) shares no breaker. */
  async putBreaker(state: BreakerState): Promise<void> {
    const parsed = breakerStateSchema.parse(state);
    if (this.db.readonly) return;
    this.write(() => {
      this.statement('DELETE FROM breakers WHERE until <= ?').run(new Date().toISOString());
      if (parsed.state === 'closed') this.statement('DELETE FROM breakers WHERE name = ? AND target = ?').run(parsed.name, parsed.target);
      else this.statement('INSERT OR REPLACE INTO breakers (name, target, until, data) VALUES (?, ?, ?, ?)').run(parsed.name, parsed.target, parsed.until, JSON.stringify(parsed));
    });
  }

  async listBreakers(): Promise<BreakerState[]> {
    const now = new Date().toISOString();
    const rows = this.read(() => this.statement('SELECT data FROM breakers WHERE until > ?').all(now) as { data: string }[]);
    return openBreakers(rows.map((row) => parseRow(breakerStateSchema, row.data, 'breakers', this.location)));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** The `data` of a table's rows matching `columns`, newest first by `order` (then last written first), validated. */
  private newestRows<T>(table: string, order: string, schema: RowSchema<T>, columns: Record<string, string | undefined>, limit: number | undefined): T[] {
    return this.rows(table, `${order} DESC, rowid DESC`, schema, columns, limit);
  }

  /** The `data` of a table's rows matching `columns`, in the order `orderBy` (an ORDER BY list), validated. */
  private rows<T>(table: string, orderBy: string, schema: RowSchema<T>, columns: Record<string, string | undefined>, limit: number | undefined): T[] {
    const { where, params } = conditions(columns);
    const rows = this.read(
      () => this.db.prepare(`SELECT data FROM ${table} ${where} ORDER BY ${orderBy} ${limit === undefined ? '' : 'LIMIT @limit'}`).all({ ...params, limit }) as { data: string }[],
    );
    return rows.map((row) => parseRow(schema, row.data, table, this.location));
  }

  private statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
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

/** A WHERE clause matching each defined column to its value, and the values to bind. */
function conditions(columns: Record<string, string | undefined>): { where: string; params: Record<string, string> } {
  const params = Object.fromEntries(Object.entries(columns).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const names = Object.keys(params);
  return { where: names.length ? `WHERE ${names.map((name) => `${name} = @${name}`).join(' AND ')}` : '', params };
}
