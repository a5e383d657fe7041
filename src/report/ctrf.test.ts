import { describe, expect, it } from 'vitest';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { ctrfOf } from './ctrf.js';

describe('ctrfOf', () => {
  it('writes each test’s last attempt in CTRF terms, flaky as passed with flaky: true, medic’s findings under extra', () => {
    const error = { message: 'boom', stack: 'at a.spec.ts:3', category: 'timeout', signature: 'sig', count: 1 } as const;
    const run = makeRun({ startedAt: '2026-11-24T10:00:00.000Z', endedAt: '2026-11-24T10:01:00.000Z', status: 'failed' });
    const attempts = [
      makeAttempt({ testId: 'a', status: 'failed', outcome: 'unexpected', error }),
      makeAttempt({ testId: 'a', retry: 1, outcome: 'flaky' }),
      makeAttempt({ testId: 'b', title: 'b', status: 'timedOut', outcome: 'unexpected', error }),
      makeAttempt({ testId: 'c', title: 'c', status: 'skipped', expectedStatus: 'skipped', outcome: 'skipped' }),
    ];
    const report = ctrfOf([run], attempts, [makeHeal({ testId: 'a' })]);
    expect(report.reportFormat).toBe('CTRF');
    expect(report.results.summary).toMatchObject({ tests: 3, passed: 1, failed: 1, skipped: 1, flaky: 1, start: Date.parse(run.startedAt), stop: Date.parse(run.endedAt!) });
    const [a, b] = report.results.tests;
    expect(a).toMatchObject({ status: 'passed', flaky: true, retries: 1, extra: { medic: { heals: [{ strategy: 'relocate', outcome: 'healed' }] } } });
    expect(b).toMatchObject({ status: 'failed', message: 'boom', trace: 'at a.spec.ts:3', extra: { medic: { category: 'timeout', signature: 'sig', heals: [] } } });
  });
});
