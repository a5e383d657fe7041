import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Locator, Page } from '@playwright/test';
import { MedicError } from '../errors.js';

/**
 * The one module that relies on Playwright's internals (checked by locatorHooks.test.ts, which
 * fails loudly when an upgrade changes them):
 * - every locator is an instance of one client class, `Locator`, whose prototype methods we wrap;
 * - `expect(locator).toX()` checks `receiver._apiName === 'Locator'` and calls
 *   `receiver._expect(expression, { isNot, expectedNumber, timeout, … })`, which resolves to
 *   `{ matches, received, log, timedOut }` instead of throwing;
 * - `locator._selector` is the selector string `page.locator()` accepts back, relative to
 *   `locator._frame`, the Frame it resolves in;
 * - `locator._wrapApiCall(run, { internal: true })` runs calls without reporting them as steps;
 * - the runner hides stack frames of the files under `utils.setBoxedStackPrefixes(...)` of
 *   `playwright-core/lib/coreBundle` (it lists Playwright's own package there).
 */

/** Locator methods that wait for their element, then act on or read it. */
export const WAITING_METHODS = [
  'click',
  'dblclick',
  'tap',
  'hover',
  'fill',
  'clear',
  'type',
  'pressSequentially',
  'press',
  'check',
  'uncheck',
  'setChecked',
  'selectOption',
  'selectText',
  'setInputFiles',
  'focus',
  'blur',
  'dispatchEvent',
  'scrollIntoViewIfNeeded',
  'dragTo',
  'textContent',
  'innerText',
  'innerHTML',
  'inputValue',
  'getAttribute',
  'isChecked',
  'isEnabled',
  'isDisabled',
  'isEditable',
  'boundingBox',
  'screenshot',
  'waitFor',
] as const;
export type WaitingMethod = (typeof WAITING_METHODS)[number];

/**
 * Locator methods that answer at once without waiting: nothing fails when the locator is
 * broken (a count of 0, `false`), so only a fix the catalog already knows can heal them.
 */
export const READING_METHODS = ['count', 'isVisible', 'allTextContents', 'allInnerTexts'] as const;
export type ReadingMethod = (typeof READING_METHODS)[number];

/** Where each method takes its options (`fill(value, options)`): to set a step's timeout. */
export const OPTIONS_ARGUMENT: Readonly<Record<WaitingMethod, number>> = {
  click: 0, dblclick: 0, tap: 0, hover: 0, fill: 1, clear: 0, type: 1, pressSequentially: 1, press: 1,
  check: 0, uncheck: 0, setChecked: 1, selectOption: 1, selectText: 0, setInputFiles: 1, focus: 0, blur: 0,
  dispatchEvent: 2, scrollIntoViewIfNeeded: 0, dragTo: 1, textContent: 0, innerText: 0, innerHTML: 0,
  inputValue: 0, getAttribute: 1, isChecked: 0, isEnabled: 0, isDisabled: 0, isEditable: 0, boundingBox: 0,
  screenshot: 0, waitFor: 0,
};

/**
 * The step's arguments with its timeout capped at `ms` (never longer than the user's own), or
 * with `extend`, set to `ms` (a second, longer wait).
 */
export function argsWithTimeout(method: WaitingMethod, args: readonly unknown[], ms: number, extend = false): unknown[] {
  const at = OPTIONS_ARGUMENT[method];
  const next = [...args];
  while (next.length < at) next.push(undefined);
  const given = next[at];
  const options = typeof given === 'object' && given !== null ? (given as { timeout?: number }) : {};
  const timeout = !extend && typeof options.timeout === 'number' && options.timeout > 0 ? Math.min(options.timeout, ms) : ms;
  next[at] = { ...options, timeout };
  return next;
}

/** What `expect(locator)` passes to `_expect`. */
export type ExpectOptions = { isNot?: boolean; expectedNumber?: number; timeout?: number; [key: string]: unknown };
/** What `_expect` resolves to. */
export type ExpectResult = { matches: boolean; timedOut?: boolean; [key: string]: unknown };

/** A step of a test on a locator: an action, or a web-first assertion. */
export type WaitingStep =
  | { kind: 'action'; method: WaitingMethod; args: unknown[]; run: (target: Locator, args?: unknown[]) => Promise<unknown> }
  | { kind: 'expect'; expression: string; options: ExpectOptions; run: (target: Locator, options?: ExpectOptions) => Promise<ExpectResult> };
/** A read that does not wait (`count()`, `isVisible()`). */
export type ReadingStep = { kind: 'read'; method: ReadingMethod; args: unknown[]; run: (target: Locator) => Promise<unknown> };
export type LocatorStep = WaitingStep | ReadingStep;

/** Decides how a step runs; `step.run(locator)` runs it unhooked on any locator. */
export type StepHandler = (locator: Locator, step: LocatorStep) => Promise<unknown>;

const INSTALLED = Symbol.for('playwright-medic.locatorHooks');
const inside = new AsyncLocalStorage<true>();
const handlers = new WeakMap<object, StepHandler>();

type LocatorInternals = Locator & { _selector?: unknown; _frame?: unknown; _expect?: unknown; _apiName?: unknown; _wrapApiCall?: unknown };

/**
 * Runs medic's own locator calls without hooks, so capturing and healing never recurse.
 * @example await unhooked(() => locator.count());
 */
export function unhooked<T>(work: () => Promise<T>): Promise<T> {
  return inside.run(true, work);
}

/**
 * Runs medic's own calls on a locator's page unhooked and, where this Playwright allows, as one
 * internal API call: no step of its own in the test's report or trace, no step messages to the runner.
 * @example await unreported(locator, () => locator.evaluateAll((els) => els.length));
 */
export function unreported<T>(locator: Locator, work: () => Promise<T>): Promise<T> {
  const wrap = (locator as LocatorInternals)._wrapApiCall;
  if (typeof wrap !== 'function') return unhooked(work);
  return unhooked(() => (wrap as (run: () => Promise<T>, options: { internal: boolean }) => Promise<T>).call(locator, () => work(), { internal: true }));
}

/** Playwright's selector string of a locator, which `page.locator(selector)` accepts back. */
export function selectorOf(locator: Locator): string {
  const selector = (locator as LocatorInternals)._selector;
  if (typeof selector !== 'string') throw internalsChanged('locator._selector is not a string');
  return selector;
}

/**
 * The frame a locator's selector resolves in (`selectorOf` is relative to it): the page's main
 * frame, or the frame of `frame.locator()`. undefined when this Playwright keeps it elsewhere.
 */
export function frameOf(locator: Locator): Frame | undefined {
  const frame = (locator as LocatorInternals)._frame;
  if (typeof frame !== 'object' || frame === null || typeof (frame as Frame).evaluate !== 'function') return undefined;
  return frame as Frame;
}

/** Steps of locators in this context's pages go to `handler` (until the context closes). */
export function handleContext(context: ReturnType<Page['context']>, handler: StepHandler): void {
  handlers.set(context, handler);
}

function internalsChanged(what: string): MedicError {
  return new MedicError('MEDIC_PLAYWRIGHT_INTERNALS', `playwright-medic does not know this version of Playwright: ${what}.`, {
    fix: 'Use a Playwright version playwright-medic supports (see its peerDependencies), or set healing.mode to "off".',
  });
}

/**
 * This package's root folder, from this function's own stack frame (the first; its file is this
 * module, or the bundle chunk that holds it): `import.meta` would make Playwright's loader turn
 * the module into CommonJS when a CommonJS config requires it.
 */
function packageRoot(): string | undefined {
  const frame = new Error().stack?.split('\n').find((line) => /^\s+at /.test(line));
  const match = frame && /(file:\/\/[^\s)]+|\/[^\s)]+?):\d+:\d+/.exec(frame);
  if (!match) return undefined;
  let dir = dirname(match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!);
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'playwright-medic') return dir;
  }
  return undefined;
}

/**
 * Errors of healed steps point at the user's line, not at ours: our frames are hidden from
 * stack traces and code snippets the way Playwright hides its own. Best effort: without the
 * internal, errors only show a few more frames.
 */
function hideOwnFrames(): void {
  try {
    const root = packageRoot();
    if (!root) return;
    const fromTest = createRequire(createRequire(join(root, 'package.json')).resolve('@playwright/test'));
    const playwrightManifest = fromTest.resolve('playwright/package.json');
    const core = createRequire(playwrightManifest)('playwright-core/lib/coreBundle') as {
      utils?: { setBoxedStackPrefixes?: (prefixes: string[]) => void };
    };
    // Source maps turn dist/ frames back into the package's src/, fixtures/ and reporter/.
    const own = ['dist', 'src', 'fixtures', 'reporter'].map((folder) => join(root, folder) + sep);
    core.utils?.setBoxedStackPrefixes?.([dirname(playwrightManifest), ...own]);
  } catch {
    // another Playwright layout: our frames stay visible, nothing else changes
  }
}

function handlerOf(locator: Locator): StepHandler | undefined {
  if (inside.getStore()) return undefined;
  try {
    return handlers.get(locator.page().context());
  } catch {
    return undefined;
  }
}

/**
 * Wraps the Locator class once per process (idempotent). Locators of contexts without a
 * handler behave exactly as before.
 * @example installLocatorHooks(page.locator('body'));
 */
export function installLocatorHooks(sample: Locator): void {
  const proto = Object.getPrototypeOf(sample) as Record<PropertyKey, unknown>;
  if (proto[INSTALLED]) return;
  if ((sample as LocatorInternals)._apiName !== 'Locator') throw internalsChanged('locator._apiName is not "Locator"');
  if (typeof proto._expect !== 'function') throw internalsChanged('Locator.prototype._expect is missing');
  selectorOf(sample);
  const methods = [...READING_METHODS.map((m) => [m, 'read'] as const), ...WAITING_METHODS.map((m) => [m, 'action'] as const)];
  for (const [method, kind] of methods) {
    const original = proto[method];
    if (typeof original !== 'function') continue; // an older Playwright without this method
    // Called as a method of an object that holds it under its own name: Playwright names the
    // step after the caller's method ("locator.click"), and `apply` would make it "locator.apply".
    const call = (target: Locator, args: unknown[]) => {
      const receiver = Object.create(target) as Record<string, (...a: unknown[]) => Promise<unknown>>;
      receiver[method] = original as (...a: unknown[]) => Promise<unknown>;
      return receiver[method]!(...args);
    };
    proto[method] = async function hooked(this: Locator, ...args: unknown[]) {
      const handler = handlerOf(this);
      if (!handler) return call(this, args);
      const run = (target: Locator, override?: unknown[]) => unhooked(() => call(target, override ?? args));
      return handler(this, kind === 'read' ? { kind, method: method as ReadingMethod, args, run } : { kind, method: method as WaitingMethod, args, run });
    };
  }
  const originalExpect = proto._expect as (expression: string, options: ExpectOptions) => Promise<ExpectResult>;
  proto._expect = async function hookedExpect(this: Locator, expression: string, options: ExpectOptions) {
    const handler = handlerOf(this);
    if (!handler) return originalExpect.call(this, expression, options);
    const run = (target: Locator, override?: ExpectOptions) => unhooked(() => originalExpect.call(target, expression, override ?? options));
    return handler(this, { kind: 'expect', expression, options, run });
  };
  hideOwnFrames();
  Object.defineProperty(proto, INSTALLED, { value: true });
}
