import { describe, expect, it } from 'vitest';
import type { WaitingStep } from './locatorHooks.js';
import { actedBeforeTimeout, keepScreenshot, KEPT_SCREENSHOTS, leavesPage } from './stepKit.js';

const action = (method: string) => ({ kind: 'action', method, args: [], run: async () => undefined }) as WaitingStep;
const click = action('click');
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

  it('says a key press or typing acted once its element was found, and a dispatched event always may have', () => {
    for (const method of ['press', 'pressSequentially', 'type']) {
      expect(actedBeforeTimeout(action(method), timedOut("waiting for locator('#q')", '  - locator resolved to <input id="q"/>', 'elementHandle.press("Enter")'))).toBe(true);
      expect(actedBeforeTimeout(action(method), timedOut("waiting for locator('#q')"))).toBe(false);
    }
    // Its log is the same whether or not it dispatched (its element is found and the event sent in one call).
    expect(actedBeforeTimeout(action('dispatchEvent'), timedOut("waiting for locator('#b')"))).toBe(true);
  });

  it('says a drag acted once it pressed the mouse button, whatever its release did', () => {
    const down = ['attempting move and down action', 'element is visible and stable', 'performing move and down action'];
    expect(actedBeforeTimeout(action('dragTo'), timedOut(...down))).toBe(true);
    const up = [...down, 'move and down action done', "waiting for locator('#drop')", 'attempting move and up action', 'element is not stable'];
    expect(actedBeforeTimeout(action('dragTo'), timedOut(...up))).toBe(true);
    expect(actedBeforeTimeout(action('dragTo'), timedOut('attempting move and down action', 'element is not stable'))).toBe(false);
  });
});

describe('leavesPage', () => {
  it('is true for assertions and reads, whose heal is pictured beside the step, and false for steps that change the page, pictured before', () => {
    const assertion = { kind: 'expect', expression: 'to.have.text', options: { isNot: false } } as unknown as WaitingStep;
    expect(leavesPage(assertion)).toBe(true);
    expect(['textContent', 'inputValue', 'getAttribute', 'isChecked', 'boundingBox', 'waitFor'].filter((m) => !leavesPage(action(m)))).toEqual([]);
    expect(['click', 'fill', 'check', 'selectOption', 'press', 'hover', 'dispatchEvent', 'dragTo', 'setInputFiles'].filter((m) => leavesPage(action(m)))).toEqual([]);
  });
});

describe('keepScreenshot', () => {
  it('keeps the newest pictures within the count and byte caps, a picture used again counting as new', () => {
    const kept = new Map<string, Buffer>();
    for (let i = 0; i < KEPT_SCREENSHOTS.count + 5; i++) keepScreenshot(kept, `k${i}`, Buffer.alloc(10));
    expect(kept.size).toBe(KEPT_SCREENSHOTS.count);
    expect(kept.has('k4')).toBe(false);
    expect(kept.has('k5')).toBe(true);
    keepScreenshot(kept, 'k5', Buffer.alloc(10)); // refreshed: now the newest
    keepScreenshot(kept, 'big', Buffer.alloc(KEPT_SCREENSHOTS.bytes - 10 * 50));
    expect(kept.has('k5')).toBe(true);
    expect(kept.has('big')).toBe(true);
    expect([...kept.values()].reduce((n, p) => n + p.length, 0)).toBeLessThanOrEqual(KEPT_SCREENSHOTS.bytes);
    expect(kept.size).toBe(51); // 49 small ones, k5 and the big one
  });
});
