import { describe, expect, it } from 'vitest';
import type { WaitingStep } from './locatorHooks.js';
import { actedBeforeTimeout } from './stepKit.js';

const click: WaitingStep = { kind: 'action', method: 'click', args: [], run: async () => undefined };
const timedOut = (...log: string[]) => ({ ok: false as const, error: new Error(['locator.click: Timeout 1500ms exceeded.', 'Call log:', ...log].join('\n  - ')) });

describe('actedBeforeTimeout', () => {
  it('says a click cut off while or after it was performed may have acted', () => {
    const attempt = ['waiting for locator', 'attempting click action', 'waiting for element to be visible, enabled and stable', 'performing click action'];
    expect(actedBeforeTimeout(click, timedOut(...attempt))).toBe(true);
    expect(actedBeforeTimeout(click, timedOut(...attempt, 'click action done', 'waiting for scheduled navigations to finish'))).toBe(true);
  });

  it('says a click that never got to act, or whose acting attempt was retried, did not act', () => {
    expect(actedBeforeTimeout(click, timedOut('waiting for locator', 'attempting click action', 'element is not stable'))).toBe(false);
    const retried = ['attempting click action', 'performing click action', '<div class="toast"> intercepts pointer events', 'retrying click action', 'element is not stable'];
    expect(actedBeforeTimeout(click, timedOut(...retried))).toBe(false);
    expect(actedBeforeTimeout({ kind: 'expect', expression: 'to.be.visible', isNot: false } as unknown as WaitingStep, timedOut('performing click action'))).toBe(false);
  });
});
