import { MedicStoreError } from '../errors.js';
import { selectorKey, selectorRecordSchema, type SelectorObservation, type SelectorRecord } from '../learning/catalog.js';
import type { HealEvent } from '../learning/heals.js';
import type { AttemptQuery, HealQuery, KnowledgeStore, PatternQuery, RunEnd, SelectorQuery } from './KnowledgeStore.js';
import { batchIdSchema, compareText, healKey, mergeSelectorBatch, newestPredictionFirst, parseHeals, parseSelectorBatch, runsBeyondKept, runTimes, type HealEventInput } from './learning.js';
import { attemptQuerySchema, healQuerySchema, patternQuerySchema, runQuerySchema, selectorQuerySchema, successQuerySchema, type SuccessQuery } from './queries.js';
import { attemptKey, attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';
import { matchesWhere, vectorQuerySchema, vectorRecordSchema, type VectorQuery, type VectorRecord, type VectorRecordInput } from '../vector/records.js';
import { z } from 'zod';
import { processLock } from './locks.js';
import { failurePatternSchema, type FailurePattern } from '../learning/failurePatterns.js';
import { successPatternSchema, type SuccessPattern } from '../learning/successPatterns.js';
import { breakerStateSchema, openBreakers, type BreakerState } from '../resilience/breakerBoard.js';
import { EXECUTIONS_KEPT, parseRunExecutions, strategyQuerySchema, type StrategyExecution, type StrategyQuery } from '../learning/strategies.js';
import { predictionKey, predictionQuerySchema, riskPredictionSchema, type PredictionQuery, type RiskPrediction } from '../risk/predictions.js';
import { byModelKey, modelKey, modelQuerySchema, modelRecordSchema, type ModelQuery, type ModelRecord } from './models.js';

/** The reference adapter: everything in memory, gone with the process. */
export class MemoryStore implements KnowledgeStore {
  readonly kind = 'memory';
  readonly location = 'memory';
  private readonly runs = new Map<string, RunRecord>();
  private readonly attempts = new Map<string, AttemptRecord>();
  private readonly selectors = new Map<string, SelectorRecord>();
  private readonly heals = new Map<string, HealEvent>();
  private readonly vectors = new Map<string, VectorRecord>();
  private readonly patterns = new Map<string, FailurePattern>();
  private readonly successes = new Map<string, SuccessPattern>();
  /** In recording order. */
  private executions: StrategyExecution[] = [];
  /** By predictionKey. */
  private readonly predictions = new Map<string, RiskPrediction>();
  /** By modelKey. */
  private readonly models = new Map<string, ModelRecord>();
  private readonly lock = processLock();
  private readonly appliedBatches = new Set<string>();
  private readonly breakers = new Map<string, BreakerState>();

  async startRun(run: RunRecord): Promise<void> {
    const parsed = runRecordSchema.parse(run);
    if (this.runs.has(parsed.id)) throw duplicateRun(parsed.id);
    this.runs.set(parsed.id, structuredClone(parsed));
  }

  async finishRun(runId: string, end: RunEnd): Promise<void> {
    const run = this.runs.get(runId);
    if (!run) throw unknownRun(runId);
    this.runs.set(runId, runRecordSchema.parse({ ...run, ...end }));
  }

  async recordAttempt(attempt: AttemptRecord): Promise<void> {
    const parsed = attemptRecordSchema.parse(attempt);
    if (!this.runs.has(parsed.runId)) throw unknownRun(parsed.runId);
    const key = attemptKey(parsed);
    this.attempts.delete(key); // a replaced attempt moves to the end, like a new row
    this.attempts.set(key, structuredClone(parsed));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const run = this.runs.get(runId);
    return run && structuredClone(run);
  }

  async listRuns(options: { project?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const query = runQuerySchema.parse(options);
    const runs = [...this.runs.values()]
      .filter((run) => query.project === undefined || run.project === query.project)
      .reverse()
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return structuredClone(query.limit === undefined ? runs : runs.slice(0, query.limit));
  }

  async listAttempts(options: AttemptQuery = {}): Promise<AttemptRecord[]> {
    const query = attemptQuerySchema.parse(options);
    let attempts = [...this.attempts.values()].filter(
      (a) => (query.runId === undefined || a.runId === query.runId) && (query.testKey === undefined || a.testKey === query.testKey),
    );
    if (query.limit !== undefined) attempts = attempts.reverse().slice(0, query.limit);
    return structuredClone(attempts);
  }

  async recordSelectors(project: string, observations: SelectorObservation[], options: { batchId?: string } = {}): Promise<void> {
    const batch = parseSelectorBatch(project, observations);
    const batchId = batchIdSchema.parse(options.batchId);
    if (batchId !== undefined && this.appliedBatches.has(batchId)) return;
    if (batchId !== undefined) this.appliedBatches.add(batchId);
    const records = mergeSelectorBatch(batch, (pageKey, selector) => this.selectors.get(selectorKey(batch.project, pageKey, selector)));
    for (const record of records) {
      const key = selectorKey(record.project, record.pageKey, record.selector);
      this.selectors.delete(key); // a rewritten record moves to the end, like a replaced row
      this.selectors.set(key, structuredClone(record));
    }
  }

  async putSelectors(records: SelectorRecord[]): Promise<void> {
    for (const record of z.array(selectorRecordSchema).parse(records)) {
      const key = selectorKey(record.project, record.pageKey, record.selector);
      this.selectors.delete(key); // a replaced record moves to the end, like a replaced row
      this.selectors.set(key, structuredClone(record));
    }
  }

  async listSelectors(options: SelectorQuery = {}): Promise<SelectorRecord[]> {
    const query = selectorQuerySchema.parse(options);
    const records = [...this.selectors.values()]
      .filter(
        (r) =>
          (query.project === undefined || r.project === query.project) &&
          (query.pageKey === undefined || r.pageKey === query.pageKey) &&
          (query.selector === undefined || r.selector === query.selector),
      )
      .reverse()
      .sort((a, b) => compareText(b.lastSeen, a.lastSeen));
    return structuredClone(query.limit === undefined ? records : records.slice(0, query.limit));
  }

  async recordHeals(events: HealEventInput[]): Promise<void> {
    const parsed = parseHeals(events);
    const unknown = parsed.find((event) => !this.runs.has(event.runId));
    if (unknown) throw unknownRun(unknown.runId);
    for (const event of parsed) {
      this.heals.delete(healKey(event));
      this.heals.set(healKey(event), structuredClone(event));
    }
  }

  async listHeals(options: HealQuery = {}): Promise<HealEvent[]> {
    const query = healQuerySchema.parse(options);
    const heals = [...this.heals.values()]
      .filter(
        (h) =>
          (query.project === undefined || h.project === query.project) &&
          (query.runId === undefined || h.runId === query.runId) &&
          (query.testKey === undefined || h.testKey === query.testKey) &&
          (query.review === undefined || h.review === query.review),
      )
      .reverse()
      .sort((a, b) => compareText(b.at, a.at));
    return structuredClone(query.limit === undefined ? heals : heals.slice(0, query.limit));
  }

  async putFailurePatterns(patterns: FailurePattern[]): Promise<void> {
    for (const p of z.array(failurePatternSchema).parse(patterns)) {
      const key = `${p.project}\u0000${p.id}`;
      this.patterns.delete(key);
      this.patterns.set(key, structuredClone(p));
    }
  }

  async listFailurePatterns(options: PatternQuery = {}): Promise<FailurePattern[]> {
    const query = patternQuerySchema.parse(options);
    const out = [...this.patterns.values()]
      .filter((p) => (query.project === undefined || p.project === query.project) && (query.category === undefined || p.category === query.category))
      .reverse()
      .sort((a, b) => compareText(b.lastSeen, a.lastSeen));
    return structuredClone(query.limit === undefined ? out : out.slice(0, query.limit));
  }

  async putSuccessPatterns(patterns: SuccessPattern[]): Promise<void> {
    for (const p of z.array(successPatternSchema).parse(patterns)) {
      const key = `${p.project}\u0000${p.id}`;
      this.successes.delete(key); // a replaced row moves to the end (INSERT OR REPLACE)
      this.successes.set(key, structuredClone(p));
    }
  }

  async listSuccessPatterns(options: SuccessQuery = {}): Promise<SuccessPattern[]> {
    const query = successQuerySchema.parse(options);
    const out = [...this.successes.values()]
      .filter((p) => (query.project === undefined || p.project === query.project) && (query.feature === undefined || p.feature === query.feature))
      .reverse()
      .sort((a, b) => compareText(b.lastSeen, a.lastSeen));
    return structuredClone(query.limit === undefined ? out : out.slice(0, query.limit));
  }

  async recordStrategyExecutions(runId: string, executions: StrategyExecution[]): Promise<void> {
    const { runId: run, executions: parsed } = parseRunExecutions(runId, executions);
    const all = [...this.executions.filter((e) => e.runId !== run), ...structuredClone(parsed)];
    // Keep the newest EXECUTIONS_KEPT of each key: newest by `at`, then by recording order.
    const kept = new Map<string, number>();
    const keep = new Set<StrategyExecution>();
    for (const e of newestFirst(all)) {
      const key = `${e.project}\u0000${e.strategy}\u0000${e.taskType}`;
      const n = kept.get(key) ?? 0;
      if (n < EXECUTIONS_KEPT) keep.add(e);
      kept.set(key, n + 1);
    }
    this.executions = all.filter((e) => keep.has(e));
  }

  async listStrategyExecutions(options: StrategyQuery = {}): Promise<StrategyExecution[]> {
    const query = strategyQuerySchema.parse(options);
    const out = newestFirst(this.executions).filter(
      (e) => (query.project === undefined || e.project === query.project) && (query.strategy === undefined || e.strategy === query.strategy) && (query.taskType === undefined || e.taskType === query.taskType),
    );
    return structuredClone(query.limit === undefined ? out : out.slice(0, query.limit));
  }

  async recordPredictions(predictions: RiskPrediction[]): Promise<void> {
    const parsed = z.array(riskPredictionSchema).parse(predictions);
    for (const p of parsed) this.predictions.set(predictionKey(p), structuredClone(p));
    // Each project touched keeps its newest PREDICTION_RUNS_KEPT runs (a batch of an old run may itself go).
    for (const project of new Set(parsed.map((p) => p.project))) {
      const ofProject = [...this.predictions.values()].filter((p) => p.project === project);
      const dropped = new Set(runsBeyondKept(runTimes(ofProject)));
      for (const p of ofProject) if (dropped.has(p.runId)) this.predictions.delete(predictionKey(p));
    }
  }

  async listPredictions(options: PredictionQuery = {}): Promise<RiskPrediction[]> {
    const query = predictionQuerySchema.parse(options);
    const out = [...this.predictions.values()]
      .filter((p) => (query.project === undefined || p.project === query.project) && (query.runId === undefined || p.runId === query.runId))
      .sort(newestPredictionFirst);
    return structuredClone(query.limit === undefined ? out : out.slice(0, query.limit));
  }

  async putModel(model: ModelRecord): Promise<void> {
    const parsed = modelRecordSchema.parse(model);
    this.models.set(modelKey(parsed), structuredClone(parsed));
  }

  async getModel(project: string, name: string): Promise<ModelRecord | undefined> {
    return structuredClone(this.models.get(modelKey({ project, name })));
  }

  async listModels(options: ModelQuery = {}): Promise<ModelRecord[]> {
    const query = modelQuerySchema.parse(options);
    return structuredClone([...this.models.values()].filter((m) => query.project === undefined || m.project === query.project).sort(byModelKey));
  }

  async putVectors(records: VectorRecordInput[]): Promise<void> {
    for (const record of z.array(vectorRecordSchema).parse(records)) {
      // A replaced vector keeps its place (Map.set on a key it has), like an updated row.
      this.vectors.set(`${record.collection}\u0000${record.id}`, structuredClone(record));
    }
  }

  async listVectors(options: VectorQuery): Promise<VectorRecord[]> {
    const query = vectorQuerySchema.parse(options);
    const out = [...this.vectors.values()].filter(
      (v) => v.collection === query.collection && (query.embedder === undefined || v.embedder === query.embedder) && matchesWhere(v.metadata, query.where),
    );
    return structuredClone(out);
  }

  async deleteVectors(collection: string, ids: string[]): Promise<void> {
    for (const id of z.array(z.string()).parse(ids)) this.vectors.delete(`${collection}\u0000${id}`);
  }

  exclusive<T>(name: string, action: () => Promise<T>): Promise<T> {
    return this.lock(name, action);
  }

  async putBreaker(state: BreakerState): Promise<void> {
    const parsed = breakerStateSchema.parse(state);
    const key = breakerKey(parsed);
    if (parsed.state === 'open') this.breakers.set(key, parsed);
    else this.breakers.delete(key);
  }

  async listBreakers(): Promise<BreakerState[]> {
    return structuredClone(openBreakers([...this.breakers.values()]));
  }

  async close(): Promise<void> {}
}

/** Newest `at` first; of equal `at`, the last recorded first (as SQLite's `ORDER BY at DESC, rowid DESC`). */
function newestFirst(executions: readonly StrategyExecution[]): StrategyExecution[] {
  return [...executions].reverse().sort((a, b) => compareText(b.at, a.at));
}

/** One breaker per (name, target). */
const breakerKey = (s: Pick<BreakerState, 'name' | 'target'>) => `${s.name}\u0000${s.target}`;

export function unknownRun(runId: string): MedicStoreError {
  return new MedicStoreError(`No run with id ${JSON.stringify(runId)} in the knowledge store.`, {
    fix: 'Call startRun() before recording attempts or heals of the run, or finishing it.',
  });
}

export function duplicateRun(runId: string): MedicStoreError {
  return new MedicStoreError(`A run with id ${JSON.stringify(runId)} is already in the knowledge store.`, {
    fix: 'Give every run a new id (the reporter uses a random UUID).',
  });
}
