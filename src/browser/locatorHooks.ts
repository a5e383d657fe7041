import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { MedicError } from '../errors.js';

/**
 * The one module that relies on Playwright's internals (checked by locatorHooks.test.ts, which
 * fails loudly when an upgrade changes them):
 * - every locator is an instance of one client class, `Locator`, whose prototype methods we wrap;
 * - `expect(locator).toX()` checks `receiver._apiName === 'Locator'` and calls
 *   `receiver._expect(expression, { isNot, expectedNumber, timeout, … })`, which resolves to
 *   `{ matches, received, log, timedOut }` instead of throwing;
 * - `locator._selector` is the selector string `page.locator()` accepts back;
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

/** What `expect(locator)` passes to `_expect`. */
export type ExpectOptions = { isNot?: boolean; expectedNumber?: number; timeout?: number; [key: string]: unknown };
/** What `_expect` resolves to. */
export type ExpectResult = { matches: boolean; timedOut?: boolean; [key: string]: unknown };

/** A step of a test on a locator: an action, or a web-first assertion. */
export type LocatorStep =
  | { kind: 'action'; method: WaitingMethod; args: unknown[]; run: (target: Locator) => Promise<unknown> }
  | { kind: 'expect'; expression: string; options: ExpectOptions; run: (target: Locator, options?: ExpectOptions) => Promise<ExpectResult> };

/** Decides how a step runs; `step.run(locator)` runs it unhooked on any locator. */
export type StepHandler = (locator: Locator, step: LocatorStep) => Promise<unknown>;

const INSTALLED = Symbol.for('playwright-medic.locatorHooks');
const inside = new AsyncLocalStorage<true>();
const handlers = new WeakMap<object, StepHandler>();

type LocatorInternals = Locator & { _selector?: unknown; _expect?: unknown; _apiName?: unknown };

/**
 * Runs medic's own locator calls without hooks, so capturing and healing never recurse.
 * @example await unhooked(() => locator.count());
 */
export function unhooked<T>(work: () => Promise<T>): Promise<T> {
  return inside.run(true, work);
}

/** Playwright's selector string of a locator, which `page.locator(selector)` accepts back. */
export function selectorOf(locator: Locator): string {
  const selector = (locator as LocatorInternals)._selector;
  if (typeof selector !== 'string') throw internalsChanged('locator._selector is not a string');
  return selector;
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

/** Our compiled code, e.g. node_modules/playwright-medic/dist/ (never the user's specs). */
const OWN_CODE = dirname(dirname(dirname(fileURLToPath(import.meta.url)))) + sep;

/**
 * Errors of healed steps point at the user's line, not at ours: our frames are hidden from
 * stack traces and code snippets the way Playwright hides its own. Best effort: without the
 * internal, errors only show one more frame.
 */
function hideOwnFrames(): void {
  try {
    const fromTest = createRequire(createRequire(import.meta.url).resolve('@playwright/test'));
    const playwrightRoot = dirname(fromTest.resolve('playwright/package.json')) + sep;
    const core = createRequire(fromTest.resolve('playwright/package.json'))('playwright-core/lib/coreBundle') as {
      utils?: { setBoxedStackPrefixes?: (prefixes: string[]) => void };
    };
    // Only the built package (run from source by our own tests, there is nothing to hide).
    if (!OWN_CODE.endsWith(`${sep}dist${sep}`)) return;
    // Source maps turn dist/ frames back into the package's src/, fixtures/ and reporter/.
    const pkg = dirname(OWN_CODE.slice(0, -1));
    const own = ['dist', 'src', 'fixtures', 'reporter'].map((folder) => `${pkg}${sep}${folder}${sep}`);
    core.utils?.setBoxedStackPrefixes?.([playwrightRoot.slice(0, -1), ...own]);
  } catch {
    // an older or newer layout: frames stay visible, nothing else changes
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
  for (const method of WAITING_METHODS) {
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
      return handler(this, { kind: 'action', method, args, run: (target) => unhooked(() => call(target, args)) });
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
