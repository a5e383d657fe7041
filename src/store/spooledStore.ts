import { randomUUID } from 'node:crypto';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { describeError, isMedicStoreError, isStoreUnavailable, MedicStoreUnavailableError } from '../errors.js';
import { selectorRecordSchema, type SelectorObservation, type SelectorRecord } from '../learning/catalog.js';
import { failurePatternSchema, type FailurePattern } from '../learning/failurePatterns.js';
import { parseRunExecutions, type StrategyExecution } from '../learning/strategies.js';
import { successPatternSchema, type SuccessPattern } from '../learning/successPatterns.js';
import type { BreakerState } from '../resilience/breakerBoard.js';
import type { Spool, SpoolMethod, SpooledWrite } from '../resilience/spool.js';
import { vectorRecordSchema, type VectorQuery, type VectorRecordInput } from '../vector/records.js';
import type { AttemptQuery, HealQuery, KnowledgeStore, PatternQuery, RunEnd, SelectorQuery, SuccessQuery } from './KnowledgeStore.js';
import { parseHeals, parseSelectorBatch, type HealEventInput } from './learning.js';
import type { StrategyQuery } from '../learning/strategies.js';
import { riskPredictionSchema, type PredictionQuery, type RiskPrediction } from '../risk/predictions.js';
import { modelRecordSchema, type ModelQuery, type ModelRecord } from './models.js';
import { attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';

/** Checks a write's arguments before it is spooled, as the store would (a bad record is refused now, not lost at replay). */
const VALIDATE: Record<Exclude<SpoolMethod, 'learn'>, (args: unknown[]) => void> = {
  startRun: ([run]) => runRecordSchema.parse(run),
  finishRun: ([runId, end]) => {
    z.string().min(1).parse(runId);
    runRecordSchema.pick({ endedAt: true, status: true, errors: true, unlearned: true }).partial({ errors: true }).parse(end);
  },
  recordAttempt: ([attempt]) => attemptRecordSchema.parse(attempt),
  recordSelectors: ([project, observations]) => parseSelectorBatch(project as string, observations as unknown[]),
  putSelectors: ([records]) => z.array(selectorRecordSchema).parse(records),
  recordHeals: ([events]) => parseHeals(events as HealEventInput[]),
  putFailurePatterns: ([patterns]) => z.array(failurePatternSchema).parse(patterns),
  putSuccessPatterns: ([patterns]) => z.array(successPatternSchema).parse(patterns),
  recordStrategyExecutions: ([runId, executions]) => parseRunExecutions(runId as string, executions as unknown[]),
  recordPredictions: ([predictions]) => z.array(riskPredictionSchema).parse(predictions),
  putModel: ([model]) => modelRecordSchema.parse(model),
  putVectors: ([records]) => z.array(vectorRecordSchema).parse(records),
  deleteVectors: ([collection, ids]) => z.tuple([z.string().min(1), z.array(z.string())]).parse([collection, ids]),
};

export type SpooledStoreOptions = {
  /** Which store the spooled writes are for (its location and namespace): a spool may hold several. */
  target: string;
  /** Learns from a run once its records are written (the reporter's end-of-run learning). */
  learn: (store: KnowledgeStore, runId: string) => Promise<void>;
  /** One warning per process when writes start to be spooled (and one when the store is back during the run). */
  warn: (message: string) => void;
  /** Override of STORE_RETRY_AFTER_MS (tests). */
  retryAfterMs?: number;
};

/** How long a store that went away is left alone (writes go to the spool) before one write tries it again. */
export const STORE_RETRY_AFTER_MS = 30_000;

/** What a replay did: writes applied, writes still waiting (the store went away again), writes refused (dropped, with the reason). */
export type ReplayResult = { applied: number; left: number; refused: string[] };

/**
 * A shared store (Redis) with a local spool: when the server cannot be reached, every write
 * from then on is kept in the spool, in order, and the run goes on; `replay()` writes them when
 * the server is back (at the end of the run, at the start of the next, or `medic sync`). Each
 * selector batch carries an id, so a write whose reply was lost counts once when replayed.
 * Reads go to the server; while writes are being spooled they fail (what they would return is
 * incomplete).
 * @example const store = new SpooledStore(openRedisStore({ url }), Spool.open('.medic/spool.db'), { target, learn, warn });
 */
export class SpooledStore implements KnowledgeStore {
  readonly kind: string;
  readonly location: string;
  private spooling = false;
  private warned = false;
  private checked = false;
  private breaker: CircuitBreakerPolicy;
  /** When the open breaker lets a call through again (cockatiel half-opens at the next call after it). */
  private retryAt = 0;

  constructor(
    readonly primary: KnowledgeStore,
    readonly spool: Spool,
    private readonly options: SpooledStoreOptions,
  ) {
    this.kind = primary.kind;
    this.location = primary.location;
    this.breaker = this.newBreaker();
  }

  /**
   * A circuit breaker (cockatiel) around the server: the first write it cannot take opens it,
   * and writes go to the spool without waiting for the server until `retryAfterMs` have passed;
   * then the next write replays the spool (and so resumes writing to the server) or, if the
   * server still fails, opens it again.
   */
  private newBreaker(): CircuitBreakerPolicy {
    const retryAfterMs = this.options.retryAfterMs ?? STORE_RETRY_AFTER_MS;
    const breaker = circuitBreaker(handleWhen(isStoreUnavailable), { halfOpenAfter: retryAfterMs, breaker: new ConsecutiveBreaker(1) });
    breaker.onBreak(() => (this.retryAt = Date.now() + retryAfterMs));
    return breaker;
  }

  /** The breaker's state: `closed` (writing to the server), `open` (spooling), `half-open` (the next write tries the server). */
  get breakerState(): 'closed' | 'open' | 'half-open' {
    const state = this.breaker.state;
    if (state === CircuitState.Closed) return 'closed';
    return state === CircuitState.HalfOpen || Date.now() >= this.retryAt ? 'half-open' : 'open';
  }

  /** Whether this process is spooling its writes (the server went away). */
  get spooled(): boolean {
    return this.spooling;
  }

  /** Writes waiting in the spool for this store. */
  get waiting(): number {
    return this.spool.count(this.options.target);
  }

  startRun(run: RunRecord): Promise<void> {
    return this.write('startRun', [run]);
  }
  finishRun(runId: string, end: RunEnd): Promise<void> {
    return this.write('finishRun', [runId, end]);
  }
  recordAttempt(attempt: AttemptRecord): Promise<void> {
    return this.write('recordAttempt', [attempt]);
  }
  recordSelectors(project: string, observations: SelectorObservation[], options: { batchId?: string } = {}): Promise<void> {
    return this.write('recordSelectors', [project, observations, { batchId: options.batchId ?? randomUUID() }]);
  }
  putSelectors(records: SelectorRecord[]): Promise<void> {
    return this.write('putSelectors', [records]);
  }
  recordHeals(events: HealEventInput[]): Promise<void> {
    return this.write('recordHeals', [events]);
  }
  putFailurePatterns(patterns: FailurePattern[]): Promise<void> {
    return this.write('putFailurePatterns', [patterns]);
  }
  putSuccessPatterns(patterns: SuccessPattern[]): Promise<void> {
    return this.write('putSuccessPatterns', [patterns]);
  }
  recordStrategyExecutions(runId: string, executions: StrategyExecution[]): Promise<void> {
    return this.write('recordStrategyExecutions', [runId, executions]);
  }
  recordPredictions(predictions: RiskPrediction[]): Promise<void> {
    return this.write('recordPredictions', [predictions]);
  }
  putModel(model: ModelRecord): Promise<void> {
    return this.write('putModel', [model]);
  }
  putVectors(records: VectorRecordInput[]): Promise<void> {
    return this.write('putVectors', [records]);
  }
  deleteVectors(collection: string, ids: string[]): Promise<void> {
    return this.write('deleteVectors', [collection, ids]);
  }

  getRun(runId: string) {
    return this.read(() => this.primary.getRun(runId));
  }
  listRuns(query?: { project?: string; limit?: number }) {
    return this.read(() => this.primary.listRuns(query));
  }
  listAttempts(query?: AttemptQuery) {
    return this.read(() => this.primary.listAttempts(query));
  }
  listSelectors(query?: SelectorQuery) {
    return this.read(() => this.primary.listSelectors(query));
  }
  listHeals(query?: HealQuery) {
    return this.read(() => this.primary.listHeals(query));
  }
  listFailurePatterns(query?: PatternQuery) {
    return this.read(() => this.primary.listFailurePatterns(query));
  }
  listSuccessPatterns(query?: SuccessQuery) {
    return this.read(() => this.primary.listSuccessPatterns(query));
  }
  listStrategyExecutions(query?: StrategyQuery) {
    return this.read(() => this.primary.listStrategyExecutions(query));
  }
  listPredictions(query?: PredictionQuery) {
    return this.read(() => this.primary.listPredictions(query));
  }
  getModel(project: string, name: string) {
    return this.read(() => this.primary.getModel(project, name));
  }
  listModels(query?: ModelQuery) {
    return this.read(() => this.primary.listModels(query));
  }
  listVectors(query: VectorQuery) {
    return this.read(() => this.primary.listVectors(query));
  }

  exclusive<T>(name: string, action: () => Promise<T>): Promise<T> {
    return this.primary.exclusive(name, action);
  }

  /** Hot state: never spooled, and not sent while the server is away (a breaker outlives no outage of its board). */
  async putBreaker(state: BreakerState): Promise<void> {
    if (!this.spooling) await this.primary.putBreaker(state);
  }
  async listBreakers(): Promise<BreakerState[]> {
    return this.spooling ? [] : this.primary.listBreakers();
  }

  /** Keeps "learn from this run" in the spool, after the run's records: done by the replay that writes them. */
  deferLearning(runId: string): void {
    this.spool.append(this.options.target, 'learn', [runId]);
  }

  /**
   * Writes what waits in the spool for this store, in order, and learns from the runs it
   * completes. Stops at the first write the server cannot take (it waits for the next replay);
   * a write the store refuses (a record of an unknown run, say) is dropped and named.
   */
  async replay(): Promise<ReplayResult> {
    // Asked for (end of run, next run, `medic sync`): the server is tried whatever the breaker says,
    // and the writes a replayed `learn` makes go to it too.
    this.breaker = this.newBreaker();
    return this.replayThrough((write) => this.apply(write));
  }

  /** Writes what waits, in order, with `apply`; stops (spooling) at the first write the server cannot take. */
  private async replayThrough(apply: (write: SpooledWrite) => Promise<void>): Promise<ReplayResult> {
    // The writes of a replayed `learn` go straight to the store: they come after everything spooled before them.
    this.checked = true;
    this.spooling = false;
    const result: ReplayResult = { applied: 0, left: 0, refused: [] };
    const pending = this.spool.pending(this.options.target);
    for (let i = 0; i < pending.length; i++) {
      const write = pending[i]!;
      try {
        await apply(write);
      } catch (error) {
        if (isStoreUnavailable(error) || error instanceof BrokenCircuitError) {
          result.left = pending.length - i;
          this.spooling = true;
          return result;
        }
        result.refused.push(`${write.method} (spooled ${write.at}): ${describeError(error)}`);
      }
      this.spool.remove(write.seq);
      result.applied++;
    }
    this.spooling = false;
    return result;
  }

  async close(): Promise<void> {
    this.spool.close();
    await this.primary.close();
  }

  private async apply(write: SpooledWrite): Promise<void> {
    const args = write.args;
    if (write.method === 'learn') return this.options.learn(this, String(args[0]));
    if (write.method === 'startRun') {
      try {
        return await this.primary.startRun(args[0] as RunRecord);
      } catch (error) {
        // Written before the server went away, its reply lost: the same run is there already.
        const run = args[0] as RunRecord;
        if (isMedicStoreError(error) && !isStoreUnavailable(error) && isDeepStrictEqual(await this.primary.getRun(run.id), runRecordSchema.parse(run))) return;
        throw error;
      }
    }
    const method = this.primary[write.method] as (...a: unknown[]) => Promise<void>;
    await method.apply(this.primary, args);
  }

  private async write(method: Exclude<SpoolMethod, 'learn'>, args: unknown[]): Promise<void> {
    if (!this.checked) {
      // Writes of an earlier run still waiting go first, so this run's records come after them.
      this.checked = true;
      if (this.spool.count(this.options.target) > 0) {
        const replayed = await this.replay();
        if (this.spooling) this.warnOnce(`${replayed.left} writes of an earlier run still wait`);
      }
    }
    await this.catchUp();
    if (!this.spooling) {
      try {
        await this.breaker.execute(() => (this.primary[method] as (...a: unknown[]) => Promise<void>).apply(this.primary, args));
        return;
      } catch (error) {
        if (!isStoreUnavailable(error) && !(error instanceof BrokenCircuitError)) throw error;
        this.spooling = true;
        this.warnOnce(describeError(error).split('\n')[0]!);
      }
    }
    VALIDATE[method](args);
    this.spool.append(this.options.target, method, args);
  }

  /** Once the breaker lets a call through again, writes what waits (then this process writes to the server again). */
  private async catchUp(): Promise<void> {
    if (!this.spooling || this.breakerState === 'open') return;
    // A spooled `learn` is not one call to the server: its own writes go through the breaker.
    const replayed = await this.replayThrough((write) => (write.method === 'learn' ? this.apply(write) : this.breaker.execute(() => this.apply(write))));
    for (const why of replayed.refused) this.options.warn(`medic: a spooled write was refused and dropped: ${why}`);
    if (!this.spooling) this.options.warn(`medic: ${this.location} is back: ${replayed.applied} spooled writes are written; this run writes to it again.`);
  }

  private async read<T>(action: () => Promise<T>): Promise<T> {
    await this.catchUp();
    if (this.spooling) {
      throw new MedicStoreUnavailableError(`${this.location} is not reachable; this process spools its writes to ${this.spool.path}.`, {
        fix: 'Start the server again; the spooled writes are written at the next run or with `npx medic sync`.',
      });
    }
    return action();
  }

  private warnOnce(why: string): void {
    if (this.warned) return;
    this.warned = true;
    this.options.warn(
      `medic: the store at ${this.location} is unreachable (${why}); this run's records are spooled to ${this.spool.path} ` +
        'and written when it is back (at the end of this run, at the next run, or with `npx medic sync`).',
    );
  }
}
