import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAILURE_CATEGORIES, categorizeError, failureCategorySchema, type FailureCategory } from './categorize.js';

// Real errors from real failing runs: scripts/capture-errors.mjs runs test/error-capture twice.
const capturedErrorSchema = z.object({
  id: z.string(),
  title: z.string(),
  expected: failureCategorySchema,
  message: z.string(),
  stack: z.string(),
  playwrightVersion: z.string(),
});
type CapturedError = z.infer<typeof capturedErrorSchema>;

function load(name: string): CapturedError[] {
  const text = readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
  return z.array(capturedErrorSchema).parse(JSON.parse(text));
}

const runs = { run1: load('playwright-errors.json'), run2: load('playwright-errors.run2.json') };
const designed = FAILURE_CATEGORIES.filter((category) => category !== 'unknown');

describe('categorizeError on captured Playwright errors', () => {
  it('has captured errors for every category, several each', () => {
    for (const [run, errors] of Object.entries(runs)) {
      for (const category of designed) {
        const count = errors.filter((error) => error.expected === category).length;
        expect(count, `${run}: errors captured for ${category}`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  for (const [run, errors] of Object.entries(runs)) {
    for (const category of designed) {
      const mine = errors.filter((error) => error.expected === category);
      const wrong = mine
        .map((error) => ({ id: error.id, got: categorizeError(error), first: error.message.split('\n')[0] }))
        .filter((result) => result.got !== category);
      it(`${run}: ${category} ${mine.length - wrong.length}/${mine.length}`, () => {
        expect(wrong, `misclassified ${category} errors`).toEqual([]);
      });
    }
  }

  it('classifies every captured error as designed (overall accuracy 100%)', () => {
    const all = [...runs.run1, ...runs.run2];
    const right = all.filter((error) => categorizeError(error) === error.expected).length;
    expect(right / all.length).toBe(1);
  });

  it('classifies the stack alone the same way when the message is missing', () => {
    // The stack starts with the message, so it classifies the same (errors without a stack aside).
    for (const error of runs.run1.filter((e) => e.stack)) {
      expect(categorizeError({ stack: error.stack }), error.id).toBe(error.expected);
    }
  });
});

describe('categorizeError rules', () => {
  const cases: Array<[string, string, FailureCategory]> = [
    [
      'an action timeout on a locator that never resolved',
      "TimeoutError: locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for getByTestId('x')\n",
      'selector_missing',
    ],
    [
      'an action that ran into the test timeout waiting for its locator',
      "Error: locator.fill: Test timeout of 30000ms exceeded.\nCall log:\n  - waiting for getByLabel('Email')\n",
      'selector_missing',
    ],
    [
      'an action timeout on an element that exists but is not actionable',
      "TimeoutError: locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for locator('#pay')\n    - locator resolved to <button disabled>Pay</button>\n  - attempting click action\n",
      'timeout',
    ],
    [
      'expect on a missing element',
      "Error: expect(locator).toBeVisible() failed\n\nLocator: locator('.toast')\nExpected: visible\nTimeout: 5000ms\nError: element(s) not found\n\nCall log:\n  - waiting for locator('.toast')",
      'selector_missing',
    ],
    [
      'expect on a hidden element',
      "Error: expect(locator).toBeVisible() failed\n\nLocator: locator('#b')\nExpected: visible\nReceived: hidden\nTimeout: 5000ms",
      'assertion',
    ],
    ['a strict mode violation inside expect', "Error: expect(locator).toHaveText(expected) failed\n\nError: strict mode violation: locator('li') resolved to 3 elements:", 'strict_mode'],
    ['the test timeout', 'Test timeout of 5000ms exceeded.', 'timeout'],
    ['a fixture teardown over the test timeout', 'Tearing down "context" exceeded the test timeout of 5000ms.', 'timeout'],
    ['a navigation timeout', 'TimeoutError: page.goto: Timeout 1000ms exceeded.\nCall log:\n  - navigating to "http://127.0.0.1:3000/", waiting until "load"', 'navigation'],
    ['a refused navigation', 'Error: page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:3000/', 'network'],
    ['an aborted navigation', 'Error: page.goto: net::ERR_ABORTED at http://127.0.0.1:3000/file.zip', 'navigation'],
    ['the renderer crash URL', 'Error: page.goto: net::ERR_ABORTED at chrome://crash', 'page_crash'],
    ['a fetch that failed inside evaluate', 'Error: page.evaluate: TypeError: Failed to fetch\n    at eval (eval at evaluate (:370:30), <anonymous>:2:28)', 'network'],
    ['an exception inside evaluate', 'Error: page.evaluate: Error: boom\n    at eval (eval at evaluate (:370:30), <anonymous>:2:11)', 'js_error'],
    ['an evaluate that timed out', 'Error: page.evaluate: Test timeout of 5000ms exceeded.', 'timeout'],
    ['a TypeError in the test', "TypeError: Cannot read properties of null (reading 'x')", 'js_error'],
    ['an expect that found a crashed page', "Error: expect(locator).toBeVisible() failed\n\nLocator: locator('p')\nExpected: visible\nError: Target crashed \n", 'page_crash'],
    ['a closed page', 'Error: locator.click: Target page, context or browser has been closed', 'page_crash'],
    ['a plain error thrown by the test', 'Error: something odd happened', 'unknown'],
    ['nothing at all', '', 'unknown'],
  ];
  for (const [what, message, category] of cases) {
    it(`${what} → ${category}`, () => {
      expect(categorizeError({ message })).toBe(category);
    });
  }

  it('ignores ANSI colour codes', () => {
    const coloured =
      '\u001b[31mTimeoutError\u001b[39m: locator.click: Timeout \u001b[33m1000\u001b[39mms exceeded.\n\u001b[2mCall log:\u001b[22m\n  - waiting for \u001b[36mlocator(\'#x\')\u001b[39m';
    expect(categorizeError({ message: coloured })).toBe('selector_missing');
    expect(categorizeError({ message: '\u001b[2mexpect(\u001b[22m\u001b[31mreceived\u001b[39m\u001b[2m).\u001b[22mtoBe' })).toBe('assertion');
  });

  it('reads value when a non-Error was thrown', () => {
    expect(categorizeError({ value: 'Test timeout of 100ms exceeded.' })).toBe('timeout');
  });
});
