import { randomUUID } from 'node:crypto';
import { ExponentialBackoff, handleType, retry } from 'cockatiel';
import { Redis, ReplyError, type ChainableCommander } from 'ioredis';
import { z } from 'zod';
import { describeError, isMedicError, MedicStoreError, MedicStoreUnavailableError } from '../errors.js';
import { selectorRecordSchema, type SelectorObservation, type SelectorRecord } from '../learning/catalog.js';
import { failurePatternSchema, type FailurePattern } from '../learning/failurePatterns.js';
import type { HealEvent } from '../learning/heals.js';
import { EXECUTIONS_KEPT, parseRunExecutions, strategyQuerySchema, type StrategyExecution, type StrategyQuery } from '../learning/strategies.js';
import { successPatternSchema, type SuccessPattern } from '../learning/successPatterns.js';
import { matchesWhere, vectorQuerySchema, vectorRecordSchema, type VectorQuery, type VectorRecord, type VectorRecordInput } from '../vector/records.js';
import type { AttemptQuery, HealQuery, KnowledgeStore, PatternQuery, RunEnd, SelectorQuery } from './KnowledgeStore.js';
import { batchIdSchema, compareText, mergeSelectorBatch, newestPredictionFirst, parseHeals, parseSelectorBatch, runsBeyondKept, runTimes, type HealEventInput } from './learning.js';
import { duplicateRun, unknownRun } from './memory.js';
import { attemptQuerySchema, healQuerySchema, patternQuerySchema, runQuerySchema, selectorQuerySchema, successQuerySchema, type SuccessQuery } from './queries.js';
import { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';
import {
  attemptsOf,
  executionGroup,
  FAILURE_PATTERNS,
  HEALS,
  MODELS,
  PREDICTIONS,
  RUNS,
  SELECTORS,
  STRATEGY_EXECUTIONS,
  SUCCESS_PATTERNS,
  VECTORS,
  type RedisTable,
} from './redisTables.js';
import { parseRow } from './rows.js';
import { breakerStateSchema, openBreakers, type BreakerState } from '../resilience/breakerBoard.js';
import { predictionQuerySchema, riskPredictionSchema, type PredictionQuery, type RiskPrediction } from '../risk/predictions.js';
import { byModelKey, modelQuerySchema, modelRecordSchema, type ModelQuery, type ModelRecord } from './models.js';
import { LOCK_POLL_MS, LOCK_RENEW_MS, LOCK_STALE_MS, LOCK_WAIT_MS, lockTimeout, processLock, sleep } from './locks.js';

export type RedisStoreOptions = {
  /** `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). */
  url: string;
  /** Put before every key, so one Redis can hold several stores (and tests their own). Default `medic:`. */
  keyPrefix?: string;
  /** How long to wait for a connection, in ms. Default 5,000. */
  connectTimeoutMs?: number;
};

export const redisUrlSchema = z.string().regex(/^rediss?:\/\/[^\s]+$/, 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');

/**
 * A shared store for teams whose CI shards on many machines: one Redis server holds what every
 * shard learns. The connection is opened at once and commands wait for it.
 * @example const store = openRedisStore({ url: 'redis://127.0.0.1:6379' });
 */
export function openRedisStore(options: RedisStoreOptions): RedisStore {
  const url = redisUrlSchema.parse(options.url);
  const keyPrefix = z.string().min(1).default('medic:').parse(options.keyPrefix);
  const client = new Redis(url, {
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    // Fail a command after a few reconnects instead of queueing it forever: the run goes on without the store.
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  return new RedisStore(client, maskPassword(url), keyPrefix);
}

function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Another writer changed a watched key between our read and our write: read again. */
class WriteConflict extends Error {}

/** A record as stored: `<insertion sequence> <JSON>`; the sequence orders ties like SQLite's rowid. */
type Row<T> = { s: number; d: T };
type Entry<T> = { scope: string; id: string; record: T };

const enc = encodeURIComponent;
const RENEW_IF_HELD = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_IF_HELD = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
/** Attempts to write under contention before giving up (each reads again what changed). */
const WRITE_ATTEMPTS = 50;
const KEYS_PER_CALL = 1_000;
/** How long Redis remembers an applied selector batch id (30 days). */
const BATCH_TTL_S = 30 * 24 * 3600;
/** The key layout below; written (`schema`) with the first run, so a later version can tell what it reads. Bump it with a migration. */
export const REDIS_SCHEMA_VERSION = 1;

/** What `medic doctor` shows of a Redis store. */
export type RedisInspection = {
  /** The layout version the keys were written with (undefined: nothing written yet). */
  schemaVersion: number | undefined;
  serverVersion: string;
  /** Redis's eviction policy: anything but `noeviction` may drop knowledge when memory is full. */
  maxmemoryPolicy: string;
  usedMemory: string;
  runs: number;
};

/**
 * The `redis` adapter (ioredis). Key layout, under the prefix (`medic:`):
 * - `<scope>:<table>:r:<id>`: one record, `<sequence> <JSON>` (scope: its project, or a vector's collection);
 * - `<scope>:<table>:all` and `<scope>:<table>:by:<column>:<value>`: sets of the ids, for queries;
 * - `<table>:scopes`: the scopes that hold records of a table (queries over every project);
 * - `runs:project`: run id → project (attempts and heals name only their run);
 * - `strategy_executions:run:<run>`: what a run's executions are, so recording it again replaces them;
 * - `<project>:risk_predictions:runs`: run id → the run's time (the latest `at` of its
 *   predictions), for keeping a project's newest PREDICTION_RUNS_KEPT runs;
 * - `<project>:models:r:<name>`: a fitted model (one key per project and name, replaced whole);
 * - `seq`: the insertion counter; `schema`: the layout version (REDIS_SCHEMA_VERSION);
 * - `breaker:<name>:<target>`: an open circuit breaker (JSON), expiring when it may be tried
 *   again, and `breakers`: their keys (a sorted set by that time), for listing.
 * Every write is one MULTI/EXEC under WATCH of what it read (a merge, a replaced record, a
 * trimmed history), retried when another shard wrote in between, so concurrent writers lose no
 * update. Every record is validated when written and when read.
 */
export class RedisStore implements KnowledgeStore {
  readonly kind = 'redis';
  private lastError: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lock = processLock();
  private readonly conflicts = retry(handleType(WriteConflict), {
    maxAttempts: WRITE_ATTEMPTS,
    backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 250 }),
  });

  constructor(
    private readonly redis: Redis,
    readonly location: string,
    private readonly prefix: string,
  ) {
    redis.on('error', (error: Error) => {
      this.lastError = error;
    });
  }

  async startRun(run: RunRecord): Promise<void> {
    const parsed = runRecordSchema.parse(run);
    const directory = this.key('runs', 'project');
    await this.transaction([directory], async (multi) => {
      if (await this.redis.hexists(directory, parsed.id)) throw duplicateRun(parsed.id);
      const schema = Number((await this.redis.get(this.key('schema'))) ?? 0);
      if (schema > REDIS_SCHEMA_VERSION) {
        throw new MedicStoreError(`The Redis store at ${this.location} has layout version ${schema}, newer than this playwright-medic knows (${REDIS_SCHEMA_VERSION}). Nothing was written.`, {
          fix: 'Upgrade playwright-medic (npm install -D playwright-medic@latest) on every machine that shares this store, or use another store.keyPrefix (MEDIC_REDIS_PREFIX).',
        });
      }
      multi.hset(directory, parsed.id, parsed.project);
      multi.set(this.key('schema'), String(REDIS_SCHEMA_VERSION), 'NX');
      this.stage(multi, RUNS, { scope: parsed.project, id: parsed.id, record: parsed }, undefined, await this.nextSequence(1));
    });
  }

  async finishRun(runId: string, end: RunEnd): Promise<void> {
    const project = await this.projectOfRun(runId);
    if (project === undefined) throw unknownRun(runId);
    const address = { scope: project, id: runId };
    await this.transaction([this.recordKey(RUNS, address)], async (multi) => {
      const old = (await this.read(RUNS, [address]))[0];
      if (!old) throw unknownRun(runId);
      const next = runRecordSchema.parse({ ...old.d, ...end });
      this.stage(multi, RUNS, { ...address, record: next }, old, 0);
    });
  }

  async recordAttempt(attempt: AttemptRecord): Promise<void> {
    const parsed = attemptRecordSchema.parse(attempt);
    const project = await this.projectOfRun(parsed.runId);
    if (project === undefined) throw unknownRun(parsed.runId);
    const table = attemptsOf(project);
    await this.replace(table, [{ scope: project, id: table.id(parsed), record: parsed }]);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const project = await this.projectOfRun(runId);
    if (project === undefined) return undefined;
    return (await this.read(RUNS, [{ scope: project, id: runId }]))[0]?.d;
  }

  async listRuns(options: { project?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const query = runQuerySchema.parse(options);
    const rows = await this.query(RUNS, query.project, {});
    return limited(rows.sort(newestBy((r) => r.startedAt)), query.limit);
  }

  async listAttempts(options: AttemptQuery = {}): Promise<AttemptRecord[]> {
    const query = attemptQuerySchema.parse(options);
    let scope: string | undefined;
    if (query.runId !== undefined) {
      scope = await this.projectOfRun(query.runId);
      if (scope === undefined) return [];
    }
    const rows = (await this.query(attemptsOf(''), scope, { run: query.runId, test: query.testKey })).sort((a, b) => a.s - b.s);
    return query.limit === undefined ? rows.map((r) => r.d) : limited(rows.reverse(), query.limit);
  }

  async recordSelectors(project: string, observations: SelectorObservation[], options: { batchId?: string } = {}): Promise<void> {
    const batch = parseSelectorBatch(project, observations);
    const batchId = batchIdSchema.parse(options.batchId);
    if (batch.observations.length === 0) return;
    const addresses = unique(batch.observations.map((o) => ({ scope: batch.project, id: `${o.pageKey}\u0000${o.selector}` })));
    // A batch id is remembered for BATCH_TTL_S (hot-only data: long enough for any replay).
    const appliedKey = batchId === undefined ? undefined : this.key('applied', batchId);
    await this.transaction([...addresses.map((a) => this.recordKey(SELECTORS, a)), ...(appliedKey ? [appliedKey] : [])], async (multi) => {
      if (appliedKey && (await this.redis.exists(appliedKey))) return;
      if (appliedKey) multi.set(appliedKey, '1', 'EX', BATCH_TTL_S);
      const stored = new Map<string, Row<SelectorRecord>>();
      for (const row of await this.read(SELECTORS, addresses)) if (row) stored.set(SELECTORS.id(row.d), row);
      const records = mergeSelectorBatch(batch, (pageKey, selector) => stored.get(`${pageKey}\u0000${selector}`)?.d);
      const first = await this.nextSequence(records.length);
      records.forEach((record, i) => {
        const id = SELECTORS.id(record);
        this.stage(multi, SELECTORS, { scope: batch.project, id, record }, stored.get(id), first + i);
      });
    });
  }

  async putSelectors(records: SelectorRecord[]): Promise<void> {
    const parsed = z.array(selectorRecordSchema).parse(records);
    await this.replace(SELECTORS, parsed.map((record) => ({ scope: record.project, id: SELECTORS.id(record), record })));
  }

  async listSelectors(options: SelectorQuery = {}): Promise<SelectorRecord[]> {
    const query = selectorQuerySchema.parse(options);
    const rows = await this.query(SELECTORS, query.project, { page: query.pageKey, selector: query.selector });
    return limited(rows.sort(newestBy((r) => r.lastSeen)), query.limit);
  }

  async recordHeals(events: HealEventInput[]): Promise<void> {
    const parsed = parseHeals(events);
    if (parsed.length === 0) return;
    const runs = [...new Set(parsed.map((h) => h.runId))];
    const projects = await this.redis.hmget(this.key('runs', 'project'), ...runs);
    const missing = runs.find((_, i) => projects[i] === null);
    if (missing !== undefined) throw unknownRun(missing);
    await this.replace(HEALS, parsed.map((record) => ({ scope: record.project, id: HEALS.id(record), record })));
  }

  async listHeals(options: HealQuery = {}): Promise<HealEvent[]> {
    const query = healQuerySchema.parse(options);
    const rows = await this.query(HEALS, query.project, { run: query.runId, test: query.testKey, review: query.review });
    return limited(rows.sort(newestBy((h) => h.at)), query.limit);
  }

  async putFailurePatterns(patterns: FailurePattern[]): Promise<void> {
    const parsed = z.array(failurePatternSchema).parse(patterns);
    await this.replace(FAILURE_PATTERNS, parsed.map((record) => ({ scope: record.project, id: record.id, record })));
  }

  async listFailurePatterns(options: PatternQuery = {}): Promise<FailurePattern[]> {
    const query = patternQuerySchema.parse(options);
    const rows = await this.query(FAILURE_PATTERNS, query.project, { category: query.category });
    return limited(rows.sort(newestBy((p) => p.lastSeen)), query.limit);
  }

  async putSuccessPatterns(patterns: SuccessPattern[]): Promise<void> {
    const parsed = z.array(successPatternSchema).parse(patterns);
    await this.replace(SUCCESS_PATTERNS, parsed.map((record) => ({ scope: record.project, id: record.id, record })));
  }

  async listSuccessPatterns(options: SuccessQuery = {}): Promise<SuccessPattern[]> {
    const query = successQuerySchema.parse(options);
    const rows = await this.query(SUCCESS_PATTERNS, query.project, { feature: query.feature });
    return limited(rows.sort(newestBy((p) => p.lastSeen)), query.limit);
  }

  async recordStrategyExecutions(runId: string, executions: StrategyExecution[]): Promise<void> {
    const { runId: run, executions: parsed } = parseRunExecutions(runId, executions);
    const T = STRATEGY_EXECUTIONS;
    const runKey = this.key('strategy_executions', 'run', run);
    const entries: Entry<StrategyExecution>[] = parsed.map((record, i) => ({ scope: record.project, id: `${run}#${i}`, record }));
    const groups = unique(parsed.map((e) => ({ scope: e.project, id: executionGroup(e) })));
    const groupKey = (g: { scope: string; id: string }) => this.columnKey(T, g.scope, 'group', g.id);
    await this.transaction([runKey, ...groups.map(groupKey)], async (multi) => {
      // What the run recorded before goes (recording a run twice counts it once)…
      const before = (await this.redis.smembers(runKey)).map((member) => JSON.parse(member) as { scope: string; id: string });
      const previous = new Map<string, { address: { scope: string; id: string }; row: Row<StrategyExecution> }>();
      (await this.read(T, before)).forEach((row, i) => row && previous.set(addressOf(before[i]!), { address: before[i]!, row }));
      const now = new Set(entries.map(addressOf));
      for (const [key, { address, row }] of previous) if (!now.has(key)) this.unstage(multi, T, address, row);
      multi.del(runKey);
      if (entries.length) multi.sadd(runKey, ...entries.map((e) => JSON.stringify({ scope: e.scope, id: e.id })));
      // …the new executions come in…
      const first = await this.nextSequence(entries.length);
      const fresh = entries.map((entry, i) => ({ entry, row: { s: first + i, d: entry.record } }));
      for (const { entry, row } of fresh) this.stage(multi, T, entry, previous.get(addressOf(entry))?.row, row.s);
      // …and each (project, strategy, task type) keeps its newest EXECUTIONS_KEPT.
      for (const group of groups) {
        const ids = (await this.redis.smembers(groupKey(group))).filter((id) => !previous.has(addressOf({ scope: group.scope, id })));
        const kept = (await this.read(T, ids.map((id) => ({ scope: group.scope, id })))).flatMap((row, i) => (row ? [{ id: ids[i]!, row }] : []));
        for (const { entry, row } of fresh) if (entry.scope === group.scope && executionGroup(entry.record) === group.id) kept.push({ id: entry.id, row });
        const dropped = kept.sort((a, b) => newestBy<StrategyExecution>((e) => e.at)(a.row, b.row)).slice(EXECUTIONS_KEPT);
        for (const { id, row } of dropped) {
          this.unstage(multi, T, { scope: group.scope, id }, row);
          multi.srem(this.key('strategy_executions', 'run', row.d.runId), JSON.stringify({ scope: group.scope, id }));
        }
      }
    });
  }

  async listStrategyExecutions(options: StrategyQuery = {}): Promise<StrategyExecution[]> {
    const query = strategyQuerySchema.parse(options);
    const rows = await this.query(STRATEGY_EXECUTIONS, query.project, { strategy: query.strategy, task: query.taskType });
    return limited(rows.sort(newestBy((e) => e.at)), query.limit);
  }

  async recordPredictions(predictions: RiskPrediction[]): Promise<void> {
    const parsed = z.array(riskPredictionSchema).parse(predictions);
    if (parsed.length === 0) return;
    const entries: Entry<RiskPrediction>[] = parsed.map((record) => ({ scope: record.project, id: PREDICTIONS.id(record), record }));
    const projects = [...new Set(parsed.map((p) => p.project))];
    // Every write of a project's predictions sets its run times: watching them, the writers of one project take turns.
    await this.transaction(projects.map((project) => this.runTimesKey(project)), async (multi) => {
      const first = await this.nextSequence(entries.length);
      const fresh = entries.map((entry, i) => ({ entry, s: first + i }));
      for (const project of projects) await this.stageProjectPredictions(multi, project, fresh.filter((f) => f.entry.scope === project));
    });
  }

  async listPredictions(options: PredictionQuery = {}): Promise<RiskPrediction[]> {
    const query = predictionQuerySchema.parse(options);
    const rows = await this.query(PREDICTIONS, query.project, { run: query.runId });
    return limited(rows.sort((a, b) => newestPredictionFirst(a.d, b.d)), query.limit);
  }

  /** Queues one project's part of recordPredictions: the predictions, the times of their runs, and the dropping of the runs beyond the newest PREDICTION_RUNS_KEPT. */
  private async stageProjectPredictions(multi: ChainableCommander, project: string, fresh: { entry: Entry<RiskPrediction>; s: number }[]): Promise<void> {
    const timesKey = this.runTimesKey(project);
    const times = new Map(Object.entries(await this.redis.hgetall(timesKey)));
    // Each run the batch touches, as it will be: its stored predictions, replaced by the batch's
    // (a replaced prediction may have been the run's latest, so its time is counted again).
    const runs = new Map<string, Map<string, Row<RiskPrediction>>>();
    for (const runId of new Set(fresh.map((f) => f.entry.record.runId))) runs.set(runId, await this.predictionsOfRun(project, runId));
    for (const { entry, s } of fresh) {
      const rows = runs.get(entry.record.runId)!;
      this.stage(multi, PREDICTIONS, entry, rows.get(entry.id), s);
      rows.set(entry.id, { s, d: entry.record });
    }
    for (const [runId, rows] of runs) {
      const time = runTimes([...rows.values()].map((row) => row.d)).get(runId)!;
      times.set(runId, time);
      multi.hset(timesKey, runId, time);
    }
    for (const runId of runsBeyondKept(times)) {
      for (const [id, row] of runs.get(runId) ?? (await this.predictionsOfRun(project, runId))) this.unstage(multi, PREDICTIONS, { scope: project, id }, row);
      multi.hdel(timesKey, runId);
    }
  }

  /** The stored predictions of one run of a project, by id. */
  private async predictionsOfRun(project: string, runId: string): Promise<Map<string, Row<RiskPrediction>>> {
    const ids = await this.redis.smembers(this.columnKey(PREDICTIONS, project, 'run', runId));
    const rows = await this.read(PREDICTIONS, ids.map((id) => ({ scope: project, id })));
    return new Map(rows.flatMap((row, i) => (row ? [[ids[i]!, row] as const] : [])));
  }

  async putModel(model: ModelRecord): Promise<void> {
    const parsed = modelRecordSchema.parse(model);
    // One key, set whole in a transaction: a concurrent writer's model is replaced, never merged.
    await this.replace(MODELS, [{ scope: parsed.project, id: MODELS.id(parsed), record: parsed }]);
  }

  async getModel(project: string, name: string): Promise<ModelRecord | undefined> {
    return (await this.read(MODELS, [{ scope: project, id: name }]))[0]?.d;
  }

  async listModels(options: ModelQuery = {}): Promise<ModelRecord[]> {
    const query = modelQuerySchema.parse(options);
    return (await this.query(MODELS, query.project, {})).map((row) => row.d).sort(byModelKey);
  }

  async putVectors(records: VectorRecordInput[]): Promise<void> {
    const parsed = z.array(vectorRecordSchema).parse(records);
    await this.replace(VECTORS, parsed.map((record) => ({ scope: record.collection, id: record.id, record })));
  }

  async listVectors(options: VectorQuery): Promise<VectorRecord[]> {
    const query = vectorQuerySchema.parse(options);
    const rows = await this.query(VECTORS, query.collection, { embedder: query.embedder });
    return rows.filter((r) => matchesWhere(r.d.metadata, query.where)).sort((a, b) => a.s - b.s).map((r) => r.d);
  }

  async deleteVectors(collection: string, ids: string[]): Promise<void> {
    const addresses = unique(z.array(z.string()).parse(ids).map((id) => ({ scope: z.string().min(1).parse(collection), id })));
    if (addresses.length === 0) return;
    await this.transaction(addresses.map((a) => this.recordKey(VECTORS, a)), async (multi) => {
      (await this.read(VECTORS, addresses)).forEach((row, i) => row && this.unstage(multi, VECTORS, addresses[i]!, row));
    });
  }

  /** Across every client of this Redis: a key set with NX and an expiry, renewed while held, released only by its holder. */
  exclusive<T>(name: string, action: () => Promise<T>): Promise<T> {
    return this.lock(name, async () => {
      const key = this.key('lock', name);
      const token = randomUUID();
      const started = Date.now();
      while ((await this.guard(() => this.redis.set(key, token, 'PX', LOCK_STALE_MS, 'NX'))) !== 'OK') {
        if (Date.now() - started > LOCK_WAIT_MS) throw lockTimeout(name, this.location, Date.now() - started);
        await sleep(LOCK_POLL_MS);
      }
      const renew = setInterval(() => void this.redis.eval(RENEW_IF_HELD, 1, key, token, LOCK_STALE_MS).catch(() => undefined), LOCK_RENEW_MS);
      renew.unref();
      try {
        return await action();
      } finally {
        clearInterval(renew);
        await this.redis.eval(RELEASE_IF_HELD, 1, key, token).catch(() => undefined);
      }
    });
  }

  /** The server and the layout this store's keys were written with (runs before versioning count as version 1). */
  async inspect(): Promise<RedisInspection> {
    return this.guard(async () => {
      const [schema, runs, info, policy] = await Promise.all([
        this.redis.get(this.key('schema')),
        this.redis.hlen(this.key('runs', 'project')),
        this.redis.info(),
        this.redis.config('GET', 'maxmemory-policy').catch(() => [] as unknown[]), // managed servers may refuse CONFIG
      ]);
      const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? 'unknown';
      const policyOf = Array.isArray(policy) && typeof policy[1] === 'string' ? policy[1] : field('maxmemory_policy');
      return {
        schemaVersion: schema !== null ? Number(schema) : runs > 0 ? 1 : undefined,
        serverVersion: field('redis_version'),
        maxmemoryPolicy: policyOf,
        usedMemory: field('used_memory_human'),
        runs,
      };
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    // QUIT waits for the connection: with the server gone it would wait for ever.
    if (this.redis.status === 'ready') await Promise.race([this.redis.quit().catch(() => undefined), sleep(1_000)]);
    this.redis.disconnect();
  }

  // ---- keys ----

  private key(...parts: string[]): string {
    return this.prefix + parts.map(enc).join(':');
  }

  private recordKey(table: { name: string }, address: { scope: string; id: string }): string {
    return `${this.prefix}${enc(address.scope)}:${table.name}:r:${enc(address.id)}`;
  }

  /** A project's runs that have predictions → each run's time (see recordPredictions). */
  private runTimesKey(project: string): string {
    return this.key(project, PREDICTIONS.name, 'runs');
  }

  private membersKey(table: { name: string }, scope: string): string {
    return `${this.prefix}${enc(scope)}:${table.name}:all`;
  }

  private columnKey(table: { name: string }, scope: string, column: string, value: string): string {
    return `${this.prefix}${enc(scope)}:${table.name}:by:${column}:${enc(value)}`;
  }

  // ---- reading ----

  private async projectOfRun(runId: string): Promise<string | undefined> {
    return this.guard(async () => (await this.redis.hget(this.key('runs', 'project'), runId)) ?? undefined);
  }

  /** The rows at these addresses, in their order (undefined where there is none). */
  private async read<T>(table: RedisTable<T>, addresses: readonly { scope: string; id: string }[]): Promise<(Row<T> | undefined)[]> {
    const out: (Row<T> | undefined)[] = [];
    for (let i = 0; i < addresses.length; i += KEYS_PER_CALL) {
      const chunk = addresses.slice(i, i + KEYS_PER_CALL);
      const values = await this.guard(() => this.redis.mget(...chunk.map((a) => this.recordKey(table, a))));
      for (const value of values) out.push(value === null ? undefined : this.parse(table, value));
    }
    return out;
  }

  /** Every row of a table in one scope (or all scopes) whose columns equal `filter`'s defined values. */
  private async query<T>(table: RedisTable<T>, scope: string | undefined, filter: Record<string, string | undefined>): Promise<Row<T>[]> {
    return this.guard(async () => {
      const scopes = scope !== undefined ? [scope] : await this.redis.smembers(this.key(table.name, 'scopes'));
      const wanted = Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined);
      const pipeline = this.redis.pipeline();
      for (const s of scopes) {
        if (wanted.length) pipeline.sinter(...wanted.map(([column, value]) => this.columnKey(table, s, column, value)));
        else pipeline.smembers(this.membersKey(table, s));
      }
      const results = (await pipeline.exec()) ?? [];
      const addresses = results.flatMap(([error, ids], i) => {
        if (error) throw error;
        return (ids as string[]).map((id) => ({ scope: scopes[i]!, id }));
      });
      return (await this.read(table, addresses)).filter((row): row is Row<T> => row !== undefined);
    });
  }

  private parse<T>(table: RedisTable<T>, value: string): Row<T> {
    const space = value.indexOf(' ');
    const s = Number(value.slice(0, space));
    const fix = 'A key was changed outside playwright-medic: delete it (redis-cli DEL <key>) or restore the store from a backup.';
    if (space < 1 || !Number.isSafeInteger(s)) {
      throw new MedicStoreError(`A record of ${table.name} in ${this.location} is not in playwright-medic's format.`, { fix });
    }
    return { s, d: parseRow(table.schema, value.slice(space + 1), table.name, this.location, fix) };
  }

  async putBreaker(state: BreakerState): Promise<void> {
    const parsed = breakerStateSchema.parse(state);
    const key = this.key('breaker', parsed.name, parsed.target);
    const index = this.key('breakers');
    const ms = Date.parse(parsed.until) - Date.now();
    await this.guard(async () => {
      const multi = this.redis.multi();
      if (parsed.state === 'open' && ms > 0) multi.set(key, JSON.stringify(parsed), 'PX', ms).zadd(index, Date.parse(parsed.until), key);
      else multi.del(key).zrem(index, key);
      const done = await multi.exec();
      for (const [error] of done ?? []) if (error) throw error;
    });
  }

  async listBreakers(): Promise<BreakerState[]> {
    // Redis expires the openings (no clock of ours decides); the index forgets the keys that are gone.
    return this.guard(async () => {
      const index = this.key('breakers');
      const keys = await this.redis.zrange(index, 0, -1);
      const values = keys.length ? await this.redis.mget(...keys) : [];
      const gone = keys.filter((_, i) => values[i] === null);
      if (gone.length) await this.redis.zrem(index, ...gone);
      const rows = values.flatMap((v) => (v === null ? [] : [parseRow(breakerStateSchema, v, 'breakers', this.location)]));
      return openBreakers(rows);
    });
  }

  // ---- writing ----

  private async nextSequence(count: number): Promise<number> {
    if (count === 0) return 0;
    return (await this.redis.incrby(this.key('seq'), count)) - count + 1;
  }

  /** Writes records in one transaction, each replacing what is at its address (a repeat in the batch: the last wins). */
  private async replace<T>(table: RedisTable<T>, entries: Entry<T>[]): Promise<void> {
    if (entries.length === 0) return;
    const addresses = unique(entries);
    await this.transaction(addresses.map((a) => this.recordKey(table, a)), async (multi) => {
      const old = new Map<string, Row<T>>();
      (await this.read(table, addresses)).forEach((row, i) => row && old.set(addressOf(addresses[i]!), row));
      const first = await this.nextSequence(entries.length);
      entries.forEach((entry, i) => {
        const address = addressOf(entry);
        const row = this.stage(multi, table, entry, old.get(address), first + i);
        old.set(address, row);
      });
    });
  }

  /** Queues the writes of one record (its value, its id in the sets of its columns); returns the row written. */
  private stage<T>(multi: ChainableCommander, table: RedisTable<T>, entry: Entry<T>, previous: Row<T> | undefined, sequence: number): Row<T> {
    const row = { s: table.keepsPlace && previous ? previous.s : sequence, d: entry.record };
    multi.set(this.recordKey(table, entry), `${row.s} ${JSON.stringify(entry.record)}`);
    multi.sadd(this.membersKey(table, entry.scope), entry.id);
    multi.sadd(this.key(table.name, 'scopes'), entry.scope);
    for (const [column, valueOf] of Object.entries(table.columns)) {
      const value = valueOf(entry.record);
      const was = previous && valueOf(previous.d);
      if (was !== undefined && was !== value) multi.srem(this.columnKey(table, entry.scope, column, was), entry.id);
      if (value !== undefined) multi.sadd(this.columnKey(table, entry.scope, column, value), entry.id);
    }
    return row;
  }

  private unstage<T>(multi: ChainableCommander, table: RedisTable<T>, address: { scope: string; id: string }, previous: Row<T>): void {
    multi.del(this.recordKey(table, address));
    multi.srem(this.membersKey(table, address.scope), address.id);
    for (const [column, valueOf] of Object.entries(table.columns)) {
      const was = valueOf(previous.d);
      if (was !== undefined) multi.srem(this.columnKey(table, address.scope, column, was), address.id);
    }
  }

  /**
   * Optimistic transaction: WATCH `watch`, let `body` read and queue its writes, EXEC; when
   * another client changed a watched key meanwhile, all of it again (bounded). One at a time
   * per store, so our own writes never abort each other.
   */
  private transaction<R>(watch: string[], body: (multi: ChainableCommander) => Promise<R>): Promise<R> {
    const attempt = async (): Promise<R> => {
      if (watch.length) await this.redis.watch(...watch);
      try {
        const multi = this.redis.multi();
        const result = await body(multi);
        const done = await multi.exec();
        if (done === null) throw new WriteConflict();
        for (const [error] of done) if (error) throw error;
        return result;
      } catch (error) {
        await this.redis.unwatch().catch(() => undefined);
        throw error;
      }
    };
    const run = this.queue.then(() =>
      this.guard(() =>
        this.conflicts.execute(attempt).catch((error: unknown) => {
          if (!(error instanceof WriteConflict)) throw error;
          throw new MedicStoreError(`${WRITE_ATTEMPTS} attempts to write to ${this.location} in a row met a concurrent write of the same records.`, {
            fix: 'Fewer processes writing the same records at once (e.g. fewer shards per Redis), or retry the run.',
          });
        }),
      ),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Errors of the connection or of Redis itself become MedicStoreError; ours and validation errors pass. */
  private async guard<R>(action: () => Promise<R>): Promise<R> {
    try {
      return await action();
    } catch (error) {
      if (isMedicError(error) || error instanceof z.ZodError || error instanceof WriteConflict) throw error;
      const detail = this.lastError && this.lastError !== error ? ` (${describeError(this.lastError)})` : '';
      const fix = 'Check that Redis is running and reachable there (redis-cli -u <url> ping), or point store.url (MEDIC_REDIS_URL) at one that is.';
      // A reply is Redis refusing a command (a key of another type, out of memory); anything else is not reaching it.
      if (error instanceof (ReplyError as new () => Error)) throw new MedicStoreError(`The Redis store at ${this.location} refused a command: ${describeError(error)}`, { fix, cause: error });
      throw new MedicStoreUnavailableError(`The Redis store at ${this.location} failed: ${describeError(error)}${detail}`, { fix, cause: error });
    }
  }
}

const addressOf = (a: { scope: string; id: string }) => `${a.scope}\u0000${a.id}`;

function unique<A extends { scope: string; id: string }>(addresses: A[]): { scope: string; id: string }[] {
  const seen = new Map<string, { scope: string; id: string }>();
  for (const a of addresses) if (!seen.has(addressOf(a))) seen.set(addressOf(a), { scope: a.scope, id: a.id });
  return [...seen.values()];
}

/** Newest first by a timestamp field, then the last written first (SQLite's `ORDER BY x DESC, rowid DESC`). */
function newestBy<T>(field: (record: T) => string): (a: Row<T>, b: Row<T>) => number {
  return (a, b) => compareText(field(b.d), field(a.d)) || b.s - a.s;
}

function limited<T>(rows: Row<T>[], limit: number | undefined): T[] {
  return (limit === undefined ? rows : rows.slice(0, limit)).map((r) => r.d);
}
