import { describe, expect, it } from 'vitest';
import { makeAttempt } from '../store/contract.testkit.js';
import { factorValues, UNRECORDED } from './factors.js';
import { judgePredictions } from './judge.js';
import type { RiskReport } from './riskReport.js';

const known = { testKey: 'a', title: 'a', titlePath: ['a'], file: 'a.spec.ts', projectName: '', score: 0.6, factors: { ...factorValues(UNRECORDED), newTest: 0, churn: 0.5 }, top: [] };
const report = (unrecorded?: RiskReport['unrecorded']): RiskReport => ({
  version: 1,
  project: 'shop',
  at: '2026-12-01T08:00:00.000Z',
  gitSha: null,
  model: 'weighted',
  runs: 3,
  tests: [known],
  ...(unrecorded ? { unrecorded } : {}),
});
const attempts = [
  makeAttempt({ runId: 'r', testKey: 'a', testId: 'a', status: 'failed', outcome: 'unexpected' }),
  makeAttempt({ runId: 'r', testKey: 'new', testId: 'new', status: 'failed', outcome: 'unexpected' }),
  makeAttempt({ runId: 'r', testKey: 'new', testId: 'new', retry: 1, status: 'passed', outcome: 'flaky' }),
  makeAttempt({ runId: 'other', testKey: 'b', testId: 'b' }),
];

describe('judgePredictions', () => {
  it('pairs each prediction with how its test ended in this run, and judges a test added since as a test with no run', () => {
    const unrecorded = { score: 0.05, factors: factorValues(UNRECORDED) };
    const judged = judgePredictions(report(unrecorded), attempts, 'r');
    expect(judged.map((p) => [p.testKey, p.score, p.outcome])).toEqual([
      ['a', 0.6, 'failed'],
      ['new', 0.05, 'flaky'],
    ]);
    expect(judged[1]!.factors.newTest).toBe(1);
    expect(judged.every((p) => p.project === 'shop' && p.runId === 'r' && p.model === 'weighted' && p.at === '2026-12-01T08:00:00.000Z')).toBe(true);
  });

  it('leaves out a test it has no score for (a report written before new tests were scored)', () => {
    expect(judgePredictions(report(), attempts, 'r').map((p) => p.testKey)).toEqual(['a']);
  });
});
