import { describe, expect, it } from 'vitest';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { makePrediction } from '../store/contract.risk.testkit.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import { productMetrics } from './metrics.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 10, minutes)).toISOString();
const error = { message: 'x', stack: null, category: 'assertion', signature: 's', count: 1 } as const;
const pattern = (count: number): FailurePattern => ({ id: `p${count}`, project: 'p', category: 'assertion', signatures: ['s'], count, firstSeen: at(0), lastSeen: at(0), runs: [], tests: [], features: [], examples: [], knownFixes: [] });

describe('productMetrics', () => {
  const runs = [makeRun({ id: 'r0', startedAt: at(0), status: 'failed' }), makeRun({ id: 'r1', startedAt: at(10), status: 'failed' }), makeRun({ id: 'r2', startedAt: at(30), status: 'passed' })];
  const attempts = [
    makeAttempt({ runId: 'r0', testKey: 't', status: 'failed', outcome: 'unexpected', error }),
    makeAttempt({ runId: 'r1', testKey: 't', status: 'failed', outcome: 'unexpected', error }),
    makeAttempt({ runId: 'r2', testKey: 't', testId: 'id-9' }),
  ];
  const heals = [
    makeHeal({ runId: 'r2', testId: 'id-9', outcome: 'healed', review: 'accepted' }),
    makeHeal({ id: 'b', runId: 'r2', testId: 'id-9', outcome: 'failed', review: 'rejected' }),
    makeHeal({ id: 'c', runId: 'r2', outcome: 'healed', strategy: 'known_fix' }),
  ];
  const predictions = [makePrediction({ runId: 'r2', testKey: 'a', score: 0.9, outcome: 'failed' }), makePrediction({ runId: 'r2', testKey: 'b', score: 0.1, outcome: 'passed' })];
  const metrics = Object.fromEntries(productMetrics({ runs, attempts, heals, patterns: [pattern(3), pattern(1)], predictions }).map((m) => [m.name, m]));

  it('measures each metric from the records, with what it counted', () => {
    expect(metrics['pattern reuse rate']).toMatchObject({ value: 2 / 4, detail: expect.stringContaining('2 of 4 failures') });
    expect(metrics['auto-fix rate']).toMatchObject({ value: 1 / 3 });
    expect(metrics['fix success rate']).toMatchObject({ value: 2 / 3, detail: expect.stringContaining('accepted 1 of 2') });
    expect(metrics['time to resolution']!.value).toBe(30 * 60_000);
    expect(metrics['recovery time']!.value).toBe(30 * 60_000);
    expect(metrics['learning velocity']!.value).toBeCloseTo(1 / 3);
    expect(metrics['prediction accuracy']!.value).toBe(1);
  });

  it('says there is no data rather than inventing a figure', () => {
    const none = productMetrics({ runs: [], attempts: [], heals: [], patterns: [], predictions: [] });
    expect(none.map((m) => m.value)).toEqual([null, null, null, null, null, null, null]);
  });
});
