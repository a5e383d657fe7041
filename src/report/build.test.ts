import { describe, expect, it } from 'vitest';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { makePrediction } from '../store/contract.risk.testkit.js';
import type { AttemptRecord } from '../store/records.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { SelectorRecord } from '../learning/catalog.js';
import type { LlmCall } from '../llm/call.js';
import type { FailureSummary } from '../llm/llm.js';
import type { ModelTally, SpendRecord } from '../llm/spend.js';
import { buildReportData, selectorRow, type ReportInput } from './build.js';
import { reportDataSchema } from './schema.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 10, minutes)).toISOString();
const failure = { message: 'Error: expected "3"', stack: null, category: 'assertion', signature: 'sig-a', count: 1 } as const;

/** Three runs of two tests: `a` passes, fails, then passes with a heal; `b` passes on a retry in the last run. */
function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const runs = [0, 1, 2].map((i) => makeRun({ id: `run-${i}`, startedAt: at(i * 10), endedAt: at(i * 10 + 2), status: i === 1 ? 'failed' : 'passed' }));
  const a = (i: number, more: Partial<AttemptRecord> = {}) => makeAttempt({ runId: `run-${i}`, testKey: 'k-a', testId: 'id-a', title: 'a', titlePath: ['s', 'a'], startedAt: at(i * 10 + 1), ...more });
  const b = (i: number, more: Partial<AttemptRecord> = {}) => makeAttempt({ runId: `run-${i}`, testKey: 'k-b', testId: 'id-b', title: 'b', titlePath: ['s', 'b'], startedAt: at(i * 10 + 1), ...more });
  const attempts = [
    a(0),
    b(0),
    a(1, { status: 'failed', outcome: 'unexpected', error: failure }),
    b(1),
    a(2),
    b(2, { status: 'failed', outcome: 'unexpected', error: failure }),
    b(2, { retry: 1, outcome: 'flaky' }),
  ];
  const heal = makeHeal({ runId: 'run-2', testId: 'id-a', testKey: 'k-a', retry: 0, at: at(21) });
  const pattern: FailurePattern = {
    id: 'fp-1',
    project: 'default',
    category: 'assertion',
    signatures: ['sig-a'],
    count: 2,
    firstSeen: at(11),
    lastSeen: at(21),
    runs: ['run-1', 'run-2'],
    tests: ['k-a', 'k-b'],
    features: [],
    examples: ['Error: expected "3"'],
    knownFixes: [{ strategy: 'relocate', to: "getByTestId('x')", successes: 1, tries: 1, lastAt: at(21) }],
  };
  return {
    project: 'default',
    store: '/tmp/medic.db',
    now: new Date(at(30)),
    runs,
    attempts,
    heals: [heal, makeHeal({ id: 'old', runId: 'run-1', at: at(11) })],
    patterns: [pattern],
    selectors: [],
    predictions: [
      makePrediction({ project: 'default', runId: 'run-2', testKey: 'k-a', score: 0.2, outcome: 'passed', at: at(19) }),
      makePrediction({ project: 'default', runId: 'run-2', testKey: 'k-b', score: 0.8, outcome: 'flaky', at: at(19) }),
    ],
    executions: [
      { project: 'default', runId: 'run-2', strategy: 'relocate', taskType: 'selector_missing', complexity: 'simple', success: true, durationMs: 40, costUsd: 0, at: at(21) },
      { project: 'default', runId: 'run-2', strategy: 'relocate', taskType: 'selector_missing', complexity: 'simple', success: false, durationMs: 60, costUsd: 0, at: at(21) },
    ],
    reviewId: (h) => `r-${h.id}`,
    ...overrides,
  };
}

describe('buildReportData', () => {
  it('makes the trend, each test’s history strip, and this run’s status, valid against the schema', () => {
    const data = buildReportData(input());
    expect(reportDataSchema.safeParse(data).success).toBe(true);
    expect(data.runId).toBe('run-2');
    expect(data.runs.map((r) => [r.passed, r.failed, r.flaky, r.healed])).toEqual([
      [2, 0, 0, 0],
      [1, 1, 0, 0],
      [1, 0, 1, 1],
    ]);
    expect(data.runs.map((r) => r.newFailures)).toEqual([0, 1, 0]);
    const byKey = Object.fromEntries(data.tests.map((t) => [t.key, t]));
    expect(byKey['k-a']).toMatchObject({ history: 'pfh', status: 'healed', title: 's › a' });
    expect(byKey['k-b']).toMatchObject({ history: 'ppk', status: 'flaky' });
  });

  it('shows the heals of the report’s run only, with their review IDs, and the patterns of that run first', () => {
    const data = buildReportData(input());
    expect(data.heals.map((h) => h.reviewId)).toEqual(['r-id-1#0#1']);
    expect(data.patterns[0]).toMatchObject({ id: 'fp-1', inRun: true, isNew: false, fixes: [{ rate: expect.closeTo(2 / 3, 3) }] });
    const earlier = buildReportData(input({ runId: 'run-1' }));
    expect(earlier.heals.map((h) => h.id)).toEqual(['old']);
    expect(earlier.patterns[0]).toMatchObject({ inRun: true, isNew: true });
    expect(earlier.tests.find((t) => t.key === 'k-a')!.status).toBe('failed');
  });

  it('counts the shards of one run group as one run', () => {
    const base = input();
    const runs = [makeRun({ id: 's1', group: 'g', startedAt: at(0), endedAt: at(5), status: 'passed' }), makeRun({ id: 's2', group: 'g', startedAt: at(1), endedAt: at(9), status: 'failed' })];
    const attempts = [makeAttempt({ runId: 's1', testKey: 'x', testId: 'x' }), makeAttempt({ runId: 's2', testKey: 'y', testId: 'y', status: 'failed', outcome: 'unexpected', error: failure })];
    const data = buildReportData({ ...base, runs, attempts, heals: [], patterns: [], predictions: [] });
    expect(data.runs).toHaveLength(1);
    expect(data.runs[0]).toMatchObject({ tests: 2, passed: 1, failed: 1, status: 'failed', durationMs: 9 * 60_000 });
    expect(data.tests.map((t) => t.history).sort()).toEqual(['f', 'p']);
  });

  it('judges the predictions made before the run and keeps an empty state for what has no data', () => {
    const data = buildReportData(input());
    expect(data.risk).toMatchObject({ runId: 'run-2', tests: 2, failures: 1, auc: 1 });
    expect(data.risk!.predictions[0]).toMatchObject({ testKey: 'k-b', score: 0.8 });
    expect(data.strategies).toEqual([expect.objectContaining({ strategy: 'relocate', tries: 2, successes: 1, successRate: 0.5, meanMs: 50, costUsd: 0 })]);
    const empty = buildReportData(input({ runs: [], attempts: [], heals: [], patterns: [], predictions: [], executions: [] }));
    expect(empty).toMatchObject({ runId: null, runs: [], tests: [], heals: [], risk: null, strategies: [] });
    expect(empty.metrics.every((m) => m.value === null || m.name === 'learning velocity')).toBe(true);
  });
});

describe('buildReportData: the LLM layer', () => {
  const summary = (more: Partial<FailureSummary>): FailureSummary => ({ patternId: 'fp-1', model: 'mini', hypothesis: 'The total is read before the cart updates.', suggestedFix: 'Wait for the cart badge.', at: at(12), ...more });

  it('shows the newest summary of a pattern in its row, and leaves a pattern without one unchanged', () => {
    const base = input();
    const other: FailurePattern = { ...base.patterns[0]!, id: 'fp-2', runs: ['run-2'] };
    const summaries = [summary({}), summary({ model: 'big', hypothesis: 'A race on the cart total.', at: at(22) }), summary({ patternId: 'gone', at: at(23) })];
    const data = buildReportData({ ...base, patterns: [...base.patterns, other], summaries });
    const byId = Object.fromEntries(data.patterns.map((p) => [p.id, p]));
    expect(byId['fp-1']!.summary).toEqual({ model: 'big', hypothesis: 'A race on the cart total.', suggestedFix: 'Wait for the cart badge.', at: at(22) });
    expect(byId['fp-2']).not.toHaveProperty('summary');
    expect(buildReportData(base).patterns[0]).not.toHaveProperty('summary');
  });

  const tally = (calls: number, answered: number, usd: number, ms: number): ModelTally => ({ calls, answered, usd, ms, promptTokens: calls * 100, completionTokens: calls * 10 });
  const call = (model: string, more: Partial<LlmCall> = {}): LlmCall => ({ model, task: 'llm_repair', answer: 'pick', durationMs: 200, costUsd: 0.001, promptTokens: 100, completionTokens: 10, ...more });
  /** An earlier run r0, then run group g of shards s1 and s2 (the report's run). */
  function sharded(spend: SpendRecord | undefined): ReportInput {
    const runs = [
      makeRun({ id: 'r0', startedAt: at(0), endedAt: at(5), status: 'passed' }),
      makeRun({ id: 's1', group: 'g', startedAt: at(10), endedAt: at(15), status: 'passed' }),
      makeRun({ id: 's2', group: 'g', startedAt: at(11), endedAt: at(16), status: 'passed' }),
    ];
    const llmHeal = (id: string, runId: string, model: string, more: Parameters<typeof makeHeal>[0] = {}) =>
      makeHeal({ id, runId, strategy: 'llm', explanation: [], llm: { model, cached: false, calls: [call(model)] }, at: at(12), ...more });
    const heals = [
      llmHeal('a', 's2', 'mini'),
      llmHeal('b', 's1', 'big', { review: 'rejected' }),
      llmHeal('c', 's1', 'mini', { outcome: 'abstained', to: undefined }),
      llmHeal('d', 'r0', 'mini', { llm: { model: 'mini', cached: true, calls: [] } }),
      makeHeal({ id: 'e', runId: 's1' }),
    ];
    return { ...input(), runs, attempts: [], heals, patterns: [], predictions: [], executions: [], ...(spend ? { spend } : {}) };
  }

  it('sums each model’s calls over the shards of the report’s run and over all its runs, and counts the heals its choices made', () => {
    const spend: SpendRecord = {
      days: { '2026-11-24': 0.05, '2026-11-23': 1 },
      runs: {
        r0: { at: at(1), usd: 0.001, models: { mini: tally(1, 1, 0.001, 100) } },
        s1: { at: at(12), usd: 0.012, models: { mini: tally(2, 1, 0.002, 300), big: tally(1, 1, 0.01, 900) } },
        s2: { at: at(13), usd: 0.001, models: { mini: tally(1, 1, 0.001, 100) } },
        elsewhere: { at: at(14), usd: 9, models: { mini: tally(50, 50, 9, 100) } },
      },
    };
    const data = buildReportData(sharded(spend));
    expect(data.runId).toBe('g');
    expect(data.llm).toMatchObject({ runCostUsd: 0.013, windowCostUsd: 0.014, todayCostUsd: 0.05, day: '2026-11-24' });
    const byModel = Object.fromEntries(data.llm!.models.map((m) => [m.model, m]));
    expect(byModel.mini!.run).toEqual({ calls: 3, answered: 2, answerRate: 0.667, heals: 1, held: 1, costUsd: 0.003, meanMs: 133, promptTokens: 300, completionTokens: 30 });
    expect(byModel.mini!.window).toMatchObject({ calls: 4, answered: 3, heals: 2, held: 2, costUsd: 0.004, meanMs: 125 });
    expect(byModel.big!.run).toMatchObject({ calls: 1, heals: 1, held: 0, costUsd: 0.01 });
    expect(data.llm!.models.map((m) => m.model)).toEqual(['mini', 'big']);
    // The heals section names the model of a heal it made.
    expect(data.heals.find((h) => h.id === 'a')).toMatchObject({ strategy: 'llm', llm: { model: 'mini', cached: false, calls: 1, costUsd: 0.001 } });
    expect(data.heals.find((h) => h.id === 'e')).not.toHaveProperty('llm');
  });

  it('counts a run the spend record no longer keeps from the calls its heals carry', () => {
    const data = buildReportData(sharded({ days: {}, runs: { r0: { at: at(1), usd: 0, models: {} } } }));
    const mini = data.llm!.models.find((m) => m.model === 'mini')!;
    // s1's abstention and s2's heal each carried one call; r0 is kept (with none).
    expect(mini.run).toMatchObject({ calls: 2, answered: 2, heals: 1, costUsd: 0.002, meanMs: 200 });
    expect(data.llm).toMatchObject({ runCostUsd: 0.003, todayCostUsd: 0 });
  });

  it('has no LLM section when no call is on record, and reads a report written before it', () => {
    const data = buildReportData(input({ spend: { days: {}, runs: {} } }));
    expect(data.llm).toBeNull();
    const { llm: _llm, ...old } = data;
    expect(reportDataSchema.parse(old).llm).toBeNull();
  });
});

describe('selectorRow', () => {
  const record = (more: Partial<SelectorRecord>): SelectorRecord => ({
    selector: '#a',
    code: "locator('#a')",
    project: 'default',
    pageKey: '/',
    fingerprint: null,
    confidence: 0.8,
    timesUsed: 4,
    failureCount: 0,
    lastWorking: at(0),
    lastSeen: at(0),
    alternatives: [],
    ...more,
  });
  const now = new Date(at(60));
  it('tells broken, stale, falling and healthy selectors apart', () => {
    expect(selectorRow(record({ runs: [{ key: 'r', before: 0.9, worked: false, failed: true }] }), now, 86_400_000).health).toBe('broken');
    expect(selectorRow(record({ lastWorking: null }), now, 86_400_000).health).toBe('stale');
    expect(selectorRow(record({ runs: [{ key: 'r2', before: 0.8, worked: true, failed: false }, { key: 'r1', before: 0.95, worked: true, failed: true }] }), now, 86_400_000)).toMatchObject({ health: 'falling', trend: expect.closeTo(-0.15, 5) });
    expect(selectorRow(record({}), now, 86_400_000).health).toBe('healthy');
  });
});
