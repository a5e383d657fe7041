import { describe, expect, it } from 'vitest';
import { extendedWait, timeoutOf } from './slowSteps.js';

describe('timeoutOf', () => {
  it('reads the timeout of an action from Playwright’s message', () => {
    expect(timeoutOf('locator.click: Timeout 5000ms exceeded.\nCall log: …')).toBe(5000);
    expect(timeoutOf('locator.click: Target page, context or browser has been closed')).toBeUndefined();
  });

  it('takes an assertion’s own timeout, only when it timed out', () => {
    expect(timeoutOf('', { timedOut: true, timeout: 3000 })).toBe(3000);
    expect(timeoutOf('Timeout 3000ms exceeded', { timedOut: false, timeout: 3000 })).toBeUndefined();
  });
});

describe('extendedWait', () => {
  it('waits once more only when the step was slow before', () => {
    expect(extendedWait({ timeoutMs: 5000 })).toBeUndefined();
    expect(extendedWait({ slowestMs: 2000, timeoutMs: 5000 })).toBeUndefined();
    expect(extendedWait({ slowestMs: 2500, timeoutMs: 5000 })).toBe(5000);
  });

  it('covers a step that was slower than its timeout, up to twice the timeout', () => {
    expect(extendedWait({ slowestMs: 6000, timeoutMs: 5000 })).toBe(5000);
    expect(extendedWait({ slowestMs: 9000, timeoutMs: 5000 })).toBe(8500);
    expect(extendedWait({ slowestMs: 20_000, timeoutMs: 5000 })).toBe(10_000);
  });

  it('never waits past the test’s remaining time', () => {
    expect(extendedWait({ slowestMs: 4000, timeoutMs: 5000, remainingMs: 3000 })).toBe(2000);
    expect(extendedWait({ slowestMs: 4000, timeoutMs: 5000, remainingMs: 1200 })).toBeUndefined();
  });
});
