import type { z } from 'zod';
import { failurePatternSchema, type FailurePattern } from '../learning/failurePatterns.js';
import { healEventSchema, type HealEvent } from '../learning/heals.js';
import { selectorRecordSchema, type SelectorRecord } from '../learning/catalog.js';
import { strategyExecutionSchema, type StrategyExecution } from '../learning/strategies.js';
import { successPatternSchema, type SuccessPattern } from '../learning/successPatterns.js';
import { vectorRecordSchema, type VectorRecord } from '../vector/records.js';
import { riskPredictionSchema, type RiskPrediction } from '../risk/predictions.js';
import { modelRecordSchema, type ModelRecord } from './models.js';
import { attemptKey, attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';

/**
 * How the records of one kind live in Redis (see RedisStore for the key layout). Every record
 * has a scope (its project, or a vector's collection: the keys of one project are apart from
 * another's), an id unique in that scope, and the columns queries filter on (a set per value).
 */
export interface RedisTable<T> {
  name: string;
  schema: z.ZodType<T>;
  scope(record: T): string;
  id(record: T): string;
  /** Filterable columns: name → the record's value (undefined: not indexed under that column). */
  columns: Record<string, (record: T) => string | undefined>;
  /** A replaced record keeps its place in insertion order (an SQL UPDATE), instead of moving to the end (INSERT OR REPLACE). */
  keepsPlace?: boolean;
}

/** The strategy whose executions are trimmed together: one bounded history per (project, strategy, task type). */
export const executionGroup = (e: Pick<StrategyExecution, 'strategy' | 'taskType'>) => `${e.strategy}\u0000${e.taskType}`;

export const RUNS: RedisTable<RunRecord> = {
  name: 'runs',
  schema: runRecordSchema,
  scope: (r) => r.project,
  id: (r) => r.id,
  columns: {},
  keepsPlace: true,
};

/** Scoped by the project of their run. */
export const attemptsOf = (project: string): RedisTable<AttemptRecord> => ({
  name: 'attempts',
  schema: attemptRecordSchema,
  scope: () => project,
  id: attemptKey,
  columns: { run: (a) => a.runId, test: (a) => a.testKey },
});

export const SELECTORS: RedisTable<SelectorRecord> = {
  name: 'selectors',
  schema: selectorRecordSchema,
  scope: (r) => r.project,
  id: (r) => `${r.pageKey}\u0000${r.selector}`,
  columns: { page: (r) => r.pageKey, selector: (r) => r.selector },
};

export const HEALS: RedisTable<HealEvent> = {
  name: 'heals',
  schema: healEventSchema,
  scope: (h) => h.project,
  id: (h) => `${h.runId}\u0000${h.id}`,
  columns: { run: (h) => h.runId, test: (h) => h.testKey, review: (h) => h.review },
};

export const FAILURE_PATTERNS: RedisTable<FailurePattern> = {
  name: 'failure_patterns',
  schema: failurePatternSchema,
  scope: (p) => p.project,
  id: (p) => p.id,
  columns: { category: (p) => p.category },
};

export const SUCCESS_PATTERNS: RedisTable<SuccessPattern> = {
  name: 'success_patterns',
  schema: successPatternSchema,
  scope: (p) => p.project,
  id: (p) => p.id,
  columns: { feature: (p) => p.feature },
};

/** Ids `<run>#<position in the run's batch>` (given by the writer): recording a run again rewrites the same keys. */
export const STRATEGY_EXECUTIONS: RedisTable<StrategyExecution> = {
  name: 'strategy_executions',
  schema: strategyExecutionSchema,
  scope: (e) => e.project,
  id: () => {
    throw new Error('strategy executions are written with explicit ids');
  },
  columns: { run: (e) => e.runId, strategy: (e) => e.strategy, task: (e) => e.taskType, group: executionGroup },
};

/** Ids `<run>\0<test>` in the project's scope; `run` finds a run's predictions (to time it, and to drop it). */
export const PREDICTIONS: RedisTable<RiskPrediction> = {
  name: 'risk_predictions',
  schema: riskPredictionSchema,
  scope: (p) => p.project,
  id: (p) => `${p.runId}\u0000${p.testKey}`,
  columns: { run: (p) => p.runId },
};

/** Ids are the model's name in the project's scope: one key per (project, name), replaced whole. */
export const MODELS: RedisTable<ModelRecord> = {
  name: 'models',
  schema: modelRecordSchema,
  scope: (m) => m.project,
  id: (m) => m.name,
  columns: {},
};

export const VECTORS: RedisTable<VectorRecord> = {
  name: 'vectors',
  schema: vectorRecordSchema as z.ZodType<VectorRecord>,
  scope: (v) => v.collection,
  id: (v) => v.id,
  columns: { embedder: (v) => v.embedder },
  keepsPlace: true,
};
