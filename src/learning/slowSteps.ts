/**
 * Adaptive waiting for slow steps (DESIGN.md, adaptive retry by error category: `timeout` on a
 * found element). Pure: the catalog remembers how long a selector's steps took when they were
 * slow; a step that then times out on an element that is there gets one longer wait, but only
 * when that history says the step is slow, and never past the test's own time.
 */

/** A successful step that took at least this long is remembered (the record's `slowestMs`). */
export const SLOW_STEP_MS = 1_000;
/** Time left to the test after an extended wait, for its own teardown and error report. */
const RESERVE_MS = 1_000;
/** Shorter extensions are not worth a retry. */
const MIN_WAIT_MS = 500;

/**
 * The timeout a failed step ran out of: the assertion's own (`expect` passes it), else the one
 * Playwright names in the action's message; undefined when the failure was not a timeout.
 * @example timeoutOf('locator.click: Timeout 5000ms exceeded.') // 5000
 */
export function timeoutOf(message: string, assertion?: { timedOut?: boolean; timeout?: number }): number | undefined {
  if (assertion) return assertion.timedOut && assertion.timeout && assertion.timeout > 0 ? assertion.timeout : undefined;
  const match = /Timeout (\d+)ms exceeded/.exec(message);
  return match ? Number(match[1]) : undefined;
}

export type WaitInput = {
  /** The longest this selector's steps took on this page when they worked (catalog). */
  slowestMs?: number | undefined;
  /** The timeout the step just ran out of. */
  timeoutMs: number;
  /** What is left of the test's timeout; undefined when the test has none. */
  remainingMs?: number | undefined;
};

/**
 * How long to wait once more for a step that timed out on an element that is there: as long
 * again as its timeout (or up to 1.5× the slowest time seen, when that is longer), at most
 * twice its timeout, and only when the step has taken at least half its timeout before.
 * Undefined: no second wait (no such history, or no time left).
 * @example extendedWait({ slowestMs: 4_000, timeoutMs: 5_000 }) // 5000
 */
export function extendedWait({ slowestMs, timeoutMs, remainingMs }: WaitInput): number | undefined {
  if (!slowestMs || timeoutMs <= 0 || slowestMs < timeoutMs / 2) return undefined;
  const wanted = Math.min(Math.max(timeoutMs, Math.ceil(1.5 * slowestMs) - timeoutMs), 2 * timeoutMs);
  const wait = remainingMs === undefined ? wanted : Math.min(wanted, remainingMs - RESERVE_MS);
  return wait >= MIN_WAIT_MS ? Math.round(wait) : undefined;
}
