import type { AttemptRecord } from '../store/records.js';

export type OutcomeCounts = Record<AttemptRecord['outcome'], number>;

/** The last attempt of each test: its outcome is the test's outcome in that run. */
export function lastAttempts(attempts: readonly AttemptRecord[]): AttemptRecord[] {
  const last = new Map<string, AttemptRecord>();
  for (const attempt of attempts) {
    const seen = last.get(`${attempt.runId}\u0000${attempt.testId}`);
    if (!seen || seen.retry <= attempt.retry) last.set(`${attempt.runId}\u0000${attempt.testId}`, attempt);
  }
  return [...last.values()];
}

/** How many tests ended expected, unexpected, flaky and skipped. */
export function countOutcomes(attempts: readonly AttemptRecord[]): OutcomeCounts {
  const counts: OutcomeCounts = { expected: 0, unexpected: 0, flaky: 0, skipped: 0 };
  for (const attempt of lastAttempts(attempts)) counts[attempt.outcome]++;
  return counts;
}
