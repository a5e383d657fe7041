import type { Locator } from '@playwright/test';
import type { LocatorRef } from '../learning/catalog.js';
import { extendedWait, SLOW_STEP_MS, timeoutOf } from '../learning/slowSteps.js';
import { unhooked, type WaitingStep } from './locatorHooks.js';
import { actedBeforeTimeout, NOT_REPEATABLE, runStep, stepName, withTimeout, type Failure, type HealBase, type Outcome, type StepKit } from './stepKit.js';

/**
 * Slow steps in a test (adaptive retry for `timeout` on a found element): `noteSlow` remembers
 * how long a working step took when it was slow; `waitLonger` gives a step that timed out on
 * an element that is there one longer wait when that history says it is slow here
 * (src/learning/slowSteps.ts).
 */
export function createSlowSteps(kit: StepKit) {
  const { catalog, observe, report, options } = kit;
  /** The slowest each selector's working steps took in this test, once past SLOW_STEP_MS. */
  const slow = new Map<string, number>();
  const noteSlow = (key: string, from: LocatorRef, ms: number) => {
    const id = `${key} ${from.selector}`;
    if (ms < SLOW_STEP_MS || ms <= (slow.get(id) ?? 0)) return;
    slow.set(id, ms);
    observe(key, from, 'slow', { waitedMs: Math.round(ms) });
  };

  /**
   * A step that timed out on an element that is there gets one longer wait when the catalog
   * says this step is slow here (src/learning/slowSteps.ts); the step's outcome then, or
   * undefined when there was no second wait.
   */
  const waitLonger = async (locator: Locator, step: WaitingStep, failure: Failure, key: string, from: LocatorRef): Promise<Outcome | undefined> => {
    const message = failure.error instanceof Error ? failure.error.message : '';
    const assertion = step.kind === 'expect' ? { timedOut: failure.result?.timedOut === true, ...(step.options.timeout ? { timeout: step.options.timeout } : {}) } : undefined;
    const timeoutMs = timeoutOf(message, assertion);
    // A click (or key press, drag…) that timed out while or after it was performed is not run a second time.
    if (timeoutMs === undefined || (actedBeforeTimeout(step, failure) && NOT_REPEATABLE.has(step.method))) return undefined;
    const slowestMs = catalog.slowestMs(key, from.selector);
    const wait = extendedWait({ slowestMs, timeoutMs, remainingMs: options.remainingMs?.() });
    if (wait === undefined || (await unhooked(() => locator.count()).catch(() => 0)) === 0) return undefined;
    const started = performance.now();
    const outcome = await runStep(withTimeout(step, wait, true), locator);
    const reason = `timed out after ${timeoutMs} ms on an element that is there; this step has taken ${Math.round(slowestMs!)} ms here before, so it waited ${wait} ms more`;
    const base: HealBase = { pageKey: key, step: stepName(step), from, strategy: 'extended_wait', category: 'timeout' };
    report(base, { outcome: outcome.ok ? 'healed' : 'failed', to: from, reason }, started);
    return outcome.ok ? outcome : undefined;
  };

  return { noteSlow, waitLonger };
}
