import type { SelectorObservation, SelectorRecord } from '../learning/catalog.js';
import type { HealEvent } from '../learning/heals.js';
import type { HealEventInput } from './learning.js';
import type { HealQuery, PatternQuery, SelectorQuery, SuccessQuery } from './queries.js';
import type { SuccessPattern } from '../learning/successPatterns.js';
import type { AttemptRecord, RunRecord } from './records.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { StrategyExecution, StrategyQuery } from '../learning/strategies.js';
import type { BreakerBoard, BreakerState } from '../resilience/breakerBoard.js';
import type { Metadata, VectorQuery, VectorRecord, VectorRecordInput } from '../vector/records.js';
import type { PredictionQuery, RiskPrediction } from '../risk/predictions.js';
import type { ModelQuery, ModelRecord } from './models.js';

export type { HealEventInput } from './learning.js';
export type { HealQuery, PatternQuery, SelectorQuery, SuccessQuery } from './queries.js';

export type RunEnd = Pick<RunRecord, 'endedAt' | 'status'> & Partial<Pick<RunRecord, 'errors' | 'unlearned'>>;

export type AttemptQuery = {
  runId?: string;
  testKey?: string;
  /** Newest first when set; otherwise in recording order. */
  limit?: number;
};

/**
 * What playwright-medic knows, behind a narrow interface. Every record is validated with its
 * zod schema when written and when read. Adapters: memory (reference), sqlite (default).
 */
/** A vector as a scan reads it: see KnowledgeStore.scanVectors. */
export type ScannedVector = { id: string; vector: ArrayLike<number>; metadata: Metadata };

export interface KnowledgeStore extends BreakerBoard {
  /** `memory`, `sqlite`, … */
  readonly kind: string;
  /** Where the data lives, for messages (a file path, a URL). */
  readonly location: string;
  startRun(run: RunRecord): Promise<void>;
  finishRun(runId: string, end: RunEnd): Promise<void>;
  /** Records one attempt; recording the same (runId, testId, retry) again replaces it. */
  recordAttempt(attempt: AttemptRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(query?: { project?: string; limit?: number }): Promise<RunRecord[]>;
  listAttempts(query?: AttemptQuery): Promise<AttemptRecord[]>;
  /**
   * Merges observations into the selector catalog, each into the record of its (project,
   * pageKey, selector) with `mergeSelector`, in order. All or nothing: an invalid observation
   * refuses the whole batch, and concurrent writers lose no observation. With `batchId`, a batch
   * whose id was applied before is not applied again: a write retried after an unknown outcome
   * (a lost reply, a spooled write replayed) counts once.
   * @example await store.recordSelectors('shop', [{ selector, code, pageKey: '/cart', outcome: 'worked', at }]);
   */
  recordSelectors(project: string, observations: SelectorObservation[], options?: { batchId?: string }): Promise<void>;
  /**
   * Adds or replaces whole catalog records by (project, pageKey, selector), as they are (no
   * merge: for copying a catalog, e.g. `medic import`); a repeat in the batch: the last wins.
   * All or nothing: an invalid record refuses the whole batch.
   * @example await store.putSelectors(await other.listSelectors({ project: 'shop' }));
   */
  putSelectors(records: SelectorRecord[]): Promise<void>;
  /** Most recently seen first. @example await store.listSelectors({ project: 'shop', pageKey: '/cart' }) */
  listSelectors(query?: SelectorQuery): Promise<SelectorRecord[]>;
  /**
   * Records heal events (`review` defaults to `pending`); the same (runId, id) again replaces
   * it. All or nothing: an invalid event or one of an unknown run refuses the whole batch.
   * @example await store.recordHeals([{ ...report, project: 'shop', runId, testKey, testId, retry: 0 }]);
   */
  recordHeals(events: HealEventInput[]): Promise<void>;
  /** Newest first (by `at`). @example await store.listHeals({ review: 'pending', limit: 20 }) */
  listHeals(query?: HealQuery): Promise<HealEvent[]>;
  /** Adds or replaces failure patterns by (project, id); all or nothing. */
  putFailurePatterns(patterns: FailurePattern[]): Promise<void>;
  /** Most recently seen first. @example await store.listFailurePatterns({ project: 'shop', category: 'timeout' }) */
  listFailurePatterns(query?: PatternQuery): Promise<FailurePattern[]>;
  /** Adds or replaces success patterns by (project, id); all or nothing. */
  putSuccessPatterns(patterns: SuccessPattern[]): Promise<void>;
  /** Most recently seen first. @example await store.listSuccessPatterns({ project: 'shop', feature: 'cart.spec.ts › cart' }) */
  listSuccessPatterns(query?: SuccessQuery): Promise<SuccessPattern[]>;
  /**
   * Records what the strategies of one run did, replacing what was recorded for that run
   * before (recording a run twice counts it once); keeps the newest `EXECUTIONS_KEPT` per
   * (project, strategy, task type). All or nothing.
   */
  recordStrategyExecutions(runId: string, executions: StrategyExecution[]): Promise<void>;
  /** Newest first (by `at`). @example await store.listStrategyExecutions({ project: 'shop', taskType: 'selector_missing' }) */
  listStrategyExecutions(query?: StrategyQuery): Promise<StrategyExecution[]>;
  /**
   * Records risk predictions with their outcomes; the same (project, runId, testKey) again
   * replaces it. All or nothing: an invalid prediction refuses the whole batch. A project keeps
   * the predictions of its newest PREDICTION_RUNS_KEPT runs (by `at`).
   * @example await store.recordPredictions([{ project: 'shop', runId, testKey, at, model: 'weighted', score: 0.4, factors, outcome: 'failed' }]);
   */
  recordPredictions(predictions: RiskPrediction[]): Promise<void>;
  /** Newest first (by `at`, then runId, then testKey). @example await store.listPredictions({ project: 'shop', limit: 5000 }) */
  listPredictions(query?: PredictionQuery): Promise<RiskPrediction[]>;
  /**
   * Adds or replaces the model (project, name). Validated; a concurrent writer's model is
   * replaced whole, never merged. The store never looks into `data`: its owner validates it
   * when it reads it.
   * @example await store.putModel({ project: 'shop', name: 'risk', at: new Date().toISOString(), data: model });
   */
  putModel(model: ModelRecord): Promise<void>;
  /**
   * The model (project, name), or undefined.
   * @example const stored = await store.getModel('shop', 'risk');
   */
  getModel(project: string, name: string): Promise<ModelRecord | undefined>;
  /** By project, then name (for copying a store, e.g. `medic export`). @example await store.listModels({ project: 'shop' }) */
  listModels(query?: ModelQuery): Promise<ModelRecord[]>;
  /**
   * Adds or replaces vectors by (collection, id). All or nothing: an invalid record refuses the
   * whole batch. The local vector index (src/vector/localIndex.ts) is built on these.
   */
  putVectors(records: VectorRecordInput[]): Promise<void>;
  /** A collection's vectors (of one embedder, passing a metadata filter when given), in insertion order. */
  listVectors(query: VectorQuery): Promise<VectorRecord[]>;
  /**
   * Optional fast path of listVectors for a search: calls `visit` with each vector as it is read,
   * without making arrays of them (`vector` may be a view that is only valid during the call).
   */
  scanVectors?(query: VectorQuery, visit: (item: ScannedVector) => void): Promise<void>;
  deleteVectors(collection: string, ids: string[]): Promise<void>;
  /**
   * Runs `action` while no other holder of the lock `name` on this store runs one — other
   * processes and machines that share the store included: for read-merge-write steps that span
   * many records, like learning from a run. Waits up to LOCK_WAIT_MS (then MedicStoreError);
   * the lock of a holder that died is taken over after LOCK_STALE_MS.
   * @example await store.exclusive(`learn:${project}`, () => learnFailures(deps, runId));
   */
  exclusive<T>(name: string, action: () => Promise<T>): Promise<T>;
  /**
   * Publishes a backend's circuit breaker to every process sharing the store (hot state, never
   * spooled: see src/resilience/breakerBoard.ts); `closed` removes it.
   * @example await store.putBreaker({ name: 'chroma', target: url, state: 'open', reason, openedAt, until, by });
   */
  putBreaker(state: BreakerState): Promise<void>;
  /** The breakers open now (`until` not passed), by name then target. */
  listBreakers(): Promise<BreakerState[]>;
  close(): Promise<void>;
}
