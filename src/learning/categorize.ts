import { z } from 'zod';

/**
 * What kind of failure a test error is. Checked against Playwright's real messages, captured by
 * `scripts/capture-errors.mjs` into `src/learning/testdata/playwright-errors*.json`.
 */
export const FAILURE_CATEGORIES = [
  'selector_missing',
  'strict_mode',
  'timeout',
  'assertion',
  'network',
  'navigation',
  'page_crash',
  'js_error',
  'unknown',
] as const;
export const failureCategorySchema = z.enum(FAILURE_CATEGORIES);
export type FailureCategory = z.infer<typeof failureCategorySchema>;

// CSI sequences (colours, cursor moves) and OSC sequences (terminal hyperlinks).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Where Playwright's call log starts: `Call log:` (actions, expect) or `=== logs ===` (waits). */
const LOG_START = /^\s*(?:Call log:|=+ logs =+)\s*$/im;

/** The API prefix of a Playwright error, e.g. `TimeoutError: locator.click: …` or `Error: page.goto: …`. */
const API = String.raw`^(?:\w*Error: )?`;

// Browser-internal URLs whose only purpose is to crash the renderer or the browser. Navigating to
// them kills the page, and Playwright reports the navigation as `net::ERR_ABORTED at chrome://crash`.
const CRASH_URL = /net::ERR_ABORTED at chrome:\/\/(?:crash|kill|hang|gpucrash|inducebrowsercrashforrealz)\b/;

// Network errors that are about the navigation itself rather than the network.
const NAVIGATION_NET_ERROR = /\bnet::ERR_(?:ABORTED|TOO_MANY_REDIRECTS|INVALID_REDIRECT|UNSAFE_REDIRECT|INVALID_URL)\b|\bNS_BINDING_ABORTED\b/;

const CAUSE_NAMES = ['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError', 'EvalError', 'URIError', 'AggregateError'];

interface Parts {
  /** The whole message, ANSI-free. */
  text: string;
  /** The message before the call log. */
  head: string;
  /** The call log (empty when there is none). */
  log: string;
}

interface Rule {
  category: Exclude<FailureCategory, 'unknown'>;
  /** What the rule recognises, for the reader. */
  why: string;
  test: (parts: Parts) => boolean;
}

/**
 * The rules, first match wins. Order matters where Playwright's shapes overlap:
 * - a crash or a closed page also aborts the pending wait or expect, so `page_crash` goes first;
 * - strict mode violations come out of actions and of expect, so they go before both;
 * - `net::ERR_CONNECTION_REFUSED` comes out of `page.goto`, so `network` goes before `navigation`;
 * - a navigation timeout and a frame detached while waiting for a selector are `navigation`;
 * - an action or wait on a locator that never resolved is `selector_missing` even though the
 *   message says "Timeout 1000ms exceeded" (or "Test timeout of …ms exceeded" when there is no
 *   action timeout); when the locator did resolve (disabled, hidden, covered element) it is a `timeout`;
 * - `expect(…)` failing with "element(s) not found" is `selector_missing`, any other expect failure
 *   is an `assertion`;
 * - a `TypeError: Failed to fetch` thrown by `page.evaluate` is `network`, other exceptions thrown
 *   in the page or the test are `js_error`;
 * - whatever still mentions a timeout (test timeout, waitForFunction, waitForEvent, fixtures) is `timeout`.
 */
const RULES: readonly Rule[] = [
  {
    category: 'page_crash',
    why: 'the renderer crashed, or the page, context or browser is closed',
    test: ({ head }) =>
      /\b(?:Target crashed|Page crashed|Renderer process crashed)\b/i.test(head) ||
      /Target page, context or browser has been closed|\bBrowser has been closed\b|\bbrowser has disconnected\b|\bTarget closed\b/i.test(head) ||
      CRASH_URL.test(head),
  },
  {
    category: 'strict_mode',
    why: 'a locator matched several elements where one was required',
    test: ({ head }) => /\bstrict mode violation\b/i.test(head),
  },
  {
    category: 'network',
    why: 'the request never got a response: refused, unresolved, reset, blocked, failed fetch',
    test: ({ head }) =>
      (/\bnet::ERR_[A-Z_]+\b/.test(head) && !NAVIGATION_NET_ERROR.test(head)) ||
      /\bNS_ERROR_(?:CONNECTION_REFUSED|UNKNOWN_HOST|NET_\w+|OFFLINE|PROXY_\w+)\b/.test(head) ||
      /\b(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|ECONNABORTED)\b/.test(head) ||
      /\bsocket hang up\b|Could not connect to (?:the )?server|Could not resolve host|A server with the specified hostname could not be found/i.test(head) ||
      /\bTypeError: (?:Failed to fetch|NetworkError when attempting to fetch resource|Load failed)\b/.test(head),
  },
  {
    category: 'navigation',
    why: 'a navigation timed out, was aborted or interrupted, or its frame went away',
    test: ({ head }) =>
      new RegExp(`${API}(?:page|frame)\\.(?:goto|reload|goBack|goForward|waitForURL|waitForNavigation|waitForLoadState): `, 'm').test(head) ||
      NAVIGATION_NET_ERROR.test(head) ||
      /\bis interrupted by another navigation\b|\bNavigation failed because page was closed\b/i.test(head) ||
      /\b(?:Navigating )?frame (?:was|got) detached\b/i.test(head) ||
      /\bExecution context was destroyed\b/i.test(head),
  },
  {
    category: 'selector_missing',
    why: 'a locator never matched an element (action or wait timed out before it resolved, or expect found no element)',
    test: ({ head, log }) =>
      /\belement\(s\) not found\b/i.test(head) ||
      (new RegExp(`${API}(?:locator|page|frame|elementHandle)\\.\\w+: (?:Test timeout of|Timeout) \\d+ms exceeded`, 'm').test(head) &&
        /^\s*- waiting for (?:locator|getBy|frameLocator|internal:|selector)/m.test(log) &&
        !/\bresolved to\b/.test(log)),
  },
  {
    category: 'assertion',
    why: 'an expectation failed on a value or on an element that exists',
    test: ({ head }) =>
      /^(?:\w*Error: )?expect(?:\.soft|\.poll)?\(/m.test(head) ||
      /\bAssertionError\b/.test(head) ||
      (/^\s*Expected(?: [\w ]+)?:/m.test(head) && /^\s*Received(?: [\w ]+)?:/m.test(head)),
  },
  {
    category: 'js_error',
    why: 'an exception thrown by a page script (evaluate, page error) or by the test code',
    test: ({ head }) =>
      (new RegExp(`${API}(?:page|frame|locator|elementHandle|jsHandle|worker)\\.(?:evaluate|evaluateHandle|evaluateAll|\\$eval|\\$\\$eval): `, 'm').test(head) &&
        !/Timeout \d+ms exceeded|Test timeout of/.test(head)) ||
      new RegExp(`^(?:Uncaught )?(?:${CAUSE_NAMES.join('|')})(?: \\[\\w+\\])?: `).test(head),
  },
  {
    category: 'timeout',
    why: 'something ran out of time: the test, a fixture or hook, or a wait for a function, an event, a response',
    test: ({ head }) =>
      /\bTest timeout of \d+ms exceeded\b|\bexceeded the test timeout\b|\bTimeout \d+ms exceeded\b|\bTimeoutError\b|\btimed out\b/i.test(head),
  },
];

function partsOf(error: { message?: string; stack?: string; value?: string }): Parts {
  const raw = error.message || error.value || error.stack || '';
  const text = raw.replace(ANSI, '').replace(/\r\n?/g, '\n').trim();
  const match = LOG_START.exec(text);
  return match
    ? { text, head: text.slice(0, match.index), log: text.slice(match.index + match[0].length) }
    : { text, head: text, log: '' };
}

/**
 * Which kind of failure a Playwright test error is: the first matching rule of {@link RULES},
 * `unknown` when none matches. Reads `message` (falls back to `value`, then `stack`); ANSI-safe.
 * @example categorizeError({ message: "TimeoutError: locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for getByTestId('x')" }) // 'selector_missing'
 * @example categorizeError({ message: 'Test timeout of 5000ms exceeded.' }) // 'timeout'
 */
export function categorizeError(error: { message?: string; stack?: string; value?: string }): FailureCategory {
  const parts = partsOf(error);
  if (!parts.text) return 'unknown';
  return RULES.find((rule) => rule.test(parts))?.category ?? 'unknown';
}
