import * as z from 'zod';

// The learning report's data island: one schema for the writer (src/report/build.ts) and the
// page (src/report/page/), which validates what it reads before it draws anything.

export const REPORT_VERSION = 1;

const at = z.iso.datetime();
const rate = z.number().min(0).max(1);

/** One run of the trend (oldest first), shards of one run group counted as one run. */
export const reportRunSchema = z.object({
  id: z.string(),
  startedAt: at,
  status: z.string(),
  branch: z.string().nullable(),
  sha: z.string().nullable(),
  tests: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  flaky: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  healed: z.number().int().nonnegative(),
  /** Failure patterns first seen in this run. */
  newFailures: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type ReportRun = z.infer<typeof reportRunSchema>;

/**
 * One test: its result in the report's run and its history over the trend's runs, one
 * character per run, oldest first: `p` passed, `f` failed, `k` flaky (passed on a retry),
 * `s` skipped, `h` passed with a heal, `.` not run.
 */
export const reportTestSchema = z.object({
  key: z.string(),
  title: z.string(),
  file: z.string(),
  status: z.enum(['passed', 'failed', 'flaky', 'skipped', 'healed', 'not run']),
  history: z.string(),
  state: z.enum(['stable', 'flaky', 'broken', 'unknown']),
  flakiness: rate,
  failRate: rate,
  reason: z.string(),
  durationMs: z.number().nonnegative(),
});
export type ReportTest = z.infer<typeof reportTestSchema>;

export const reportHealSchema = z.object({
  id: z.string(),
  /** The review queue's ID of this heal (what `medic review --accept` takes). */
  reviewId: z.string(),
  runId: z.string(),
  testKey: z.string(),
  pageKey: z.string(),
  step: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  strategy: z.string(),
  outcome: z.string(),
  confidence: rate,
  margin: z.number(),
  explanation: z.array(z.object({ attribute: z.string(), similarity: z.number(), weight: z.number(), contribution: z.number() })),
  reason: z.string(),
  review: z.enum(['pending', 'accepted', 'rejected']),
  at,
  /** The LLM layer's part when a model was asked: the model whose answer was used (null: none answered), a cached decision (no call), the calls made and their cost. */
  llm: z.object({ model: z.string().nullable(), cached: z.boolean(), calls: z.number().int().nonnegative(), costUsd: z.number().nonnegative() }).optional(),
});
export type ReportHeal = z.infer<typeof reportHealSchema>;

export const reportPatternSchema = z.object({
  id: z.string(),
  category: z.string(),
  isNew: z.boolean(),
  /** Seen in the report's run. */
  inRun: z.boolean(),
  count: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  tests: z.array(z.string()),
  example: z.string(),
  firstSeen: at,
  lastSeen: at,
  fixes: z.array(z.object({ strategy: z.string(), from: z.string().nullable(), to: z.string().nullable(), successes: z.number(), tries: z.number(), rate })),
  /** The newest LLM summary of the pattern, when one was made: absent otherwise. */
  summary: z.object({ model: z.string(), hypothesis: z.string(), suggestedFix: z.string(), at }).optional(),
});
export type ReportPattern = z.infer<typeof reportPatternSchema>;

export const reportSelectorSchema = z.object({
  pageKey: z.string(),
  code: z.string(),
  health: z.enum(['broken', 'stale', 'falling', 'healthy']),
  confidence: rate,
  /** The confidence change over the runs the record remembers (negative: falling). */
  trend: z.number(),
  timesUsed: z.number().int().nonnegative(),
  failureCount: z.number().int().nonnegative(),
  lastWorking: at.nullable(),
  lastSeen: at,
  fix: z.string().nullable(),
});
export type ReportSelector = z.infer<typeof reportSelectorSchema>;

export const reportRiskSchema = z.object({
  runId: z.string(),
  model: z.string(),
  tests: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  k: z.number().int().positive(),
  precisionAtK: rate,
  recallAtK: rate,
  auc: rate.nullable(),
  calibration: z.array(z.object({ from: z.number(), to: z.number(), tests: z.number(), predicted: z.number(), observed: z.number() })),
  predictions: z.array(z.object({ testKey: z.string(), score: rate, outcome: z.string(), factors: z.array(z.object({ name: z.string(), value: rate })) })),
  /** AUC of each earlier run with predictions, oldest first. */
  history: z.array(z.object({ runId: z.string(), at, auc: rate.nullable(), precisionAtK: rate })),
});
export type ReportRisk = z.infer<typeof reportRiskSchema>;

export const reportStrategySchema = z.object({
  strategy: z.string(),
  taskType: z.string(),
  tries: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  successRate: rate,
  meanMs: z.number().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
});
export type ReportStrategy = z.infer<typeof reportStrategySchema>;

/** One model's LLM calls over a span of runs (the report's run, or all of its runs). */
export const reportLlmTallySchema = z.object({
  calls: z.number().int().nonnegative(),
  /** Calls that answered validly (a pick, none, a summary). */
  answered: z.number().int().nonnegative(),
  /** answered / calls; null without calls. */
  answerRate: rate.nullable(),
  /** Heals that tried the locator the model chose, and those that held (healed, not rejected in review). */
  heals: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Mean time of a call; null without calls. */
  meanMs: z.number().nonnegative().nullable(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type ReportLlmTally = z.infer<typeof reportLlmTallySchema>;

/** The LLM layer's use per model: in the report's run (its shards together) and over all its runs. */
export const reportLlmSchema = z.object({
  /** USD spent on calls in the report's run, over all its runs, and on the UTC day `day` (every run of the project). */
  runCostUsd: z.number().nonnegative(),
  windowCostUsd: z.number().nonnegative(),
  todayCostUsd: z.number().nonnegative(),
  day: z.string(),
  models: z.array(z.object({ model: z.string(), run: reportLlmTallySchema, window: reportLlmTallySchema })),
});
export type ReportLlm = z.infer<typeof reportLlmSchema>;

/** One success metric of the product plan: null value when there is no data for it yet. */
export const reportMetricSchema = z.object({
  name: z.string(),
  value: z.number().nullable(),
  unit: z.enum(['ratio', 'ms', 'per run']),
  detail: z.string(),
});
export type ReportMetric = z.infer<typeof reportMetricSchema>;

export const reportDataSchema = z.object({
  version: z.literal(REPORT_VERSION),
  generatedAt: at,
  project: z.string(),
  store: z.string(),
  /** The run the report is about (the newest, unless asked otherwise); null: no run yet. */
  runId: z.string().nullable(),
  runs: z.array(reportRunSchema),
  tests: z.array(reportTestSchema),
  heals: z.array(reportHealSchema),
  /** The healed element's screenshot of each review item (by `reviewId`) that has one kept: a PNG data: URL. */
  screenshots: z.record(z.string(), z.string().regex(/^data:image\/png;base64,[A-Za-z0-9+/=]*$/)),
  patterns: z.array(reportPatternSchema),
  selectors: z.array(reportSelectorSchema),
  risk: reportRiskSchema.nullable(),
  strategies: z.array(reportStrategySchema),
  /** Null: no LLM call on record (absent in reports written before the LLM layer). */
  llm: reportLlmSchema.nullable().default(null),
  metrics: z.array(reportMetricSchema),
});
export type ReportData = z.infer<typeof reportDataSchema>;
