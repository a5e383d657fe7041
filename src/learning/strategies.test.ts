import { describe, expect, it } from 'vitest';
import { makeAttempt } from '../store/contract.testkit.js';
import type { HealEvent } from './heals.js';
import { complexityOf, executionsOfRun, orderStrategies, rankStrategies, type StrategyExecution } from './strategies.js';

const exec = (strategy: string, success: boolean, durationMs: number, over: Partial<StrategyExecution> = {}): StrategyExecution => ({
  project: 'shop', runId: 'run-1', strategy, taskType: 'selector_missing', complexity: 'simple', success, durationMs, costUsd: 0, at: '2026-12-01T10:00:00.000Z', ...over,
});
const times = (n: number, make: (i: number) => StrategyExecution) => Array.from({ length: n }, (_, i) => make(i));

describe('rankStrategies', () => {
  it('ranks by the weighted score of success rate, speed and cost, and leaves out strategies with too few tries', () => {
    const executions = [
      ...times(10, (i) => exec('relocate', i < 9, 200)),
      ...times(10, (i) => exec('relocate_set', i < 5, 50)),
      ...times(3, () => exec('known_fix', true, 5)),
      ...times(10, () => exec('relocate', false, 1, { taskType: 'timeout' })),
    ];
    const ranking = rankStrategies(executions, 'selector_missing');
    expect(ranking.map((r) => r.strategy)).toEqual(['relocate', 'relocate_set']);
    const [relocate, set] = ranking;
    expect(relocate).toMatchObject({ tries: 10, successes: 9, successRate: 10 / 12, meanMs: 200, speed: 0.25, cheapness: 1 });
    expect(set).toMatchObject({ successRate: 6 / 12, speed: 1 });
    expect(relocate!.score).toBeCloseTo(0.6 * (10 / 12) + 0.25 * 0.25 + 0.15);
    // Speed first, the faster one wins.
    expect(rankStrategies(executions, 'selector_missing', { weights: { success: 0, speed: 1, cost: 0 } })[0]!.strategy).toBe('relocate_set');
    expect(rankStrategies(executions, 'selector_missing', { minSamples: 3 }).map((r) => r.strategy)).toContain('known_fix');
  });

  it('divides nothing by zero: 0 ms, free and unknown-cost strategies, and all-zero weights', () => {
    const executions = [...times(5, () => exec('a', true, 0, { costUsd: 0 })), ...times(5, () => exec('b', true, 0, { costUsd: null })), ...times(5, () => exec('llm:x', true, 0, { costUsd: 0.002 }))];
    const ranking = rankStrategies(executions, 'selector_missing', { weights: { success: 0, speed: 0, cost: 1 } });
    expect(ranking.map((r) => [r.strategy, r.cheapness])).toEqual([['a', 1], ['b', 0.5], ['llm:x', 0]]);
    for (const r of rankStrategies(executions, 'selector_missing', { weights: { success: 0, speed: 0, cost: 0 } })) expect(Number.isFinite(r.score)).toBe(true);
    const paid = rankStrategies([...times(5, () => exec('m1', true, 10, { costUsd: 0.01 })), ...times(5, () => exec('m2', true, 10, { costUsd: 0.04 }))], 'selector_missing');
    expect(paid.map((r) => r.cheapness)).toEqual([1, 0.25]);
    expect(rankStrategies([], 'selector_missing')).toEqual([]);
    expect(() => rankStrategies([], 'x', { minSamples: 0 })).toThrow(/minSamples/);
  });

  it('narrows to a complexity when asked', () => {
    const executions = [...times(5, () => exec('relocate', true, 10, { complexity: 'list' })), ...times(5, () => exec('relocate_set', true, 10))];
    expect(rankStrategies(executions, 'selector_missing', { complexity: 'list' }).map((r) => r.strategy)).toEqual(['relocate']);
  });
});

describe('orderStrategies', () => {
  it('puts the ranked strategies in rank order in their own places, the rest where they were', () => {
    const ranking = rankStrategies([...times(5, () => exec('relocate', false, 10)), ...times(5, () => exec('relocate_set', true, 10))], 'selector_missing');
    expect(orderStrategies(['known_fix', 'relocate', 'relocate_set'], ranking)).toEqual(['known_fix', 'relocate_set', 'relocate']);
    expect(orderStrategies(['relocate', 'known_fix'], ranking)).toEqual(['relocate', 'known_fix']);
    expect(orderStrategies(['relocate', 'relocate_set'], [])).toEqual(['relocate', 'relocate_set']);
  });
});

describe('executionsOfRun', () => {
  it("counts each model asked at a repair: its pick a success when the heal held, a failed call or unusable answer a failure, 'none' not at all", () => {
    const call = (model: string, answer: 'pick' | 'none' | 'malformed' | 'error', costUsd = 0.001) => ({ model, task: 'llm_repair' as const, answer, durationMs: 400, costUsd, promptTokens: 500, completionTokens: 20 });
    const base = {
      pageKey: '/', step: 'click', from: { selector: '#buy', code: '' }, category: 'selector_missing', confidence: 0.5, margin: 0, explanation: [], reason: '', durationMs: 900,
      at: '2026-12-01T10:00:00.000Z', project: 'shop', runId: 'run-1', testKey: 't', testId: 'id-1', retry: 0,
    };
    const heals: HealEvent[] = [
      { ...base, id: 'h1', strategy: 'llm', outcome: 'healed', review: 'pending', llm: { model: 'b', cached: false, calls: [call('a', 'malformed'), call('b', 'pick', 0.01)] } },
      { ...base, id: 'h2', strategy: 'llm', outcome: 'healed', review: 'rejected', llm: { model: 'b', cached: false, calls: [call('b', 'pick')] } },
      { ...base, id: 'h3', strategy: 'relocate', outcome: 'abstained', review: 'pending', llm: { model: 'a', cached: false, calls: [call('a', 'error'), call('a', 'none')] } },
    ];
    const out = executionsOfRun('shop', 'run-1', heals, []);
    expect(out.map((e) => `${e.strategy}:${e.taskType}:${e.success}`)).toEqual([
      'llm:selector_missing:true',
      'llm:a:llm_repair:false',
      'llm:b:llm_repair:true',
      'llm:selector_missing:false',
      'llm:b:llm_repair:false',
      'relocate:selector_missing:false',
      'llm:a:llm_repair:false',
    ]);
    expect(out[0]!.costUsd).toBeCloseTo(0.011);
    // The ranker that abstained is charged neither the model's cost nor its time.
    expect(out[5]).toMatchObject({ strategy: 'relocate', costUsd: 0, durationMs: 100 });
  });

  it('counts tried heals (healed a success, failed and abstained not, suggestions not at all) and retries of failed attempts', () => {
    const heal = (outcome: HealEvent['outcome'], selector: string, strategy: HealEvent['strategy'] = 'relocate'): HealEvent => ({
      id: `h-${outcome}`, pageKey: '/', step: 'click', from: { selector, code: '' }, strategy, category: 'selector_missing', outcome, confidence: 0.9, margin: 0.5,
      explanation: [], reason: '', durationMs: 30, at: '2026-12-01T10:00:00.000Z', project: 'shop', runId: 'run-1', testKey: 't', testId: 'id-1', retry: 0, review: 'pending',
    });
    const boom = { message: 'Error: x', stack: null, category: 'timeout', signature: 's', count: 1 };
    const attempts = [
      makeAttempt({ testId: 'a', status: 'failed', error: boom }),
      makeAttempt({ testId: 'a', retry: 1, status: 'passed', durationMs: 70 }),
      makeAttempt({ testId: 'b', status: 'failed', error: boom }),
      makeAttempt({ testId: 'b', retry: 1, status: 'failed', error: boom }),
      makeAttempt({ testId: 'c' }),
    ];
    const heals = [heal('healed', '#a'), heal('failed', '#b >> nth=0'), heal('abstained', 'div >> button'), heal('suggested', '#c'), heal('healed', '#d', 'relocate_set')];
    const out = executionsOfRun('shop', 'run-1', heals, attempts);
    expect(out.map((e) => `${e.strategy}:${e.taskType}:${e.complexity}:${e.success}`)).toEqual([
      'relocate:selector_missing:simple:true',
      'relocate:selector_missing:list:false',
      'relocate:selector_missing:chain:false',
      'relocate_set:selector_missing:list:true',
      'retry:timeout:simple:true',
      'retry:timeout:simple:false',
    ]);
    expect(out[4]!.durationMs).toBe(70);
    expect(complexityOf('li >> internal:has="#x"', 'relocate')).toBe('chain');
    expect(complexityOf('nth=0', 'relocate')).toBe('list');
    expect(complexityOf('ul >> li', 'relocate_set')).toBe('chain'); // comparable with a relocation of the same chain
  });

  it('lets a review overrule the run: a rejected heal is a failure, a reviewed suggestion counts, a pending one does not', () => {
    const heal = (outcome: HealEvent['outcome'], review: HealEvent['review']): HealEvent => ({
      id: `h-${outcome}-${review}`, pageKey: '/', step: 'click', from: { selector: '#a', code: '' }, strategy: 'relocate', category: 'selector_missing', outcome, confidence: 0.9,
      margin: 0.5, explanation: [], reason: '', durationMs: 30, at: '2026-12-01T10:00:00.000Z', project: 'shop', runId: 'run-1', testKey: 't', testId: 'id-1', retry: 0, review,
    });
    const heals = [heal('healed', 'rejected'), heal('healed', 'accepted'), heal('suggested', 'pending'), heal('suggested', 'accepted'), heal('suggested', 'rejected'), heal('failed', 'accepted')];
    expect(executionsOfRun('shop', 'run-1', heals, []).map((e) => e.success)).toEqual([false, true, true, false, false]);
  });
});
