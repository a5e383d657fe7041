import type { Locator } from '@playwright/test';
import type { MedicConfig } from '../config/schema.js';
import type { RankResult } from '../healing/rank.js';
import { pageKey, type LocatorRef, type SelectorObservation } from '../learning/catalog.js';
import type { HealReport } from '../learning/heals.js';
import type { WorkerCatalog } from '../learning/workerCatalog.js';
import type { StrategyExecution } from '../learning/strategies.js';
import type { CascadeGuard } from '../resilience/cascadeGuard.js';
import { captureResolved } from './capture.js';
import { pageStateOf, type PageStateMode } from './pageState.js';
import type { LlmHealOptions } from './llmHeal.js';
import { argsWithTimeout, selectorOf, unhooked, unreported, type ExpectOptions, type ExpectResult, type WaitingStep } from './locatorHooks.js';

/**
 * How long a fingerprint (or a list's sample) in the catalog stays fresh: a selector the catalog
 * saw work on a page this recently is not captured again there, its step's success is only
 * counted. Runs in a row (a developer's loop, CI retries, shards) then pay no page calls for it.
 */
export const CAPTURE_FRESH_MS = 60 * 60 * 1000;

/** Assertions that want the element absent: a missing element is their success, never healed. */
const NEGATIVE_EXPRESSIONS = new Set(['to.be.hidden', 'to.be.detached']);

/**
 * How long a step whose element the catalog knows waits before playwright-medic looks for it
 * elsewhere; when nothing safe is found, the step then runs again with its own full timeout.
 */
export const PROBE_MS = 1_500;

export function isNegativeStep(step: WaitingStep): boolean {
  if (step.kind === 'action') {
    const state = (step.args[0] as { state?: string } | undefined)?.state;
    return step.method === 'waitFor' && (state === 'hidden' || state === 'detached');
  }
  if (step.options.isNot) return true;
  if (NEGATIVE_EXPRESSIONS.has(step.expression)) return true;
  return step.expression === 'to.have.count' && step.options.expectedNumber === 0;
}

/** Assertions about a list (`toHaveCount`, array `toHaveText`) are not about one element. */
export function singleElementStep(step: WaitingStep): boolean {
  return step.kind === 'action' || !(step.expression === 'to.have.count' || step.expression.endsWith('.array'));
}

export type StepHandlerOptions = {
  healing: Pick<MedicConfig['healing'], 'mode' | 'threshold' | 'minMargin'>;
  catalog: WorkerCatalog;
  guard: CascadeGuard;
  /** What the strategies did in earlier runs: where two could heal a step, the better one goes first once each has enough tries. */
  executions?: readonly StrategyExecution[];
  testIdAttribute: string;
  /** What is recorded of the page with each fingerprint, for pre-flight (`risk.preflightState`; default `url`). */
  pageState?: PageStateMode;
  /** Where heals go (the fixture turns them into attachments and annotations). */
  onHeal: (report: HealReport, screenshot: Buffer | undefined) => void;
  /** Where notices for the test's reader go (a position that now holds another element); the fixture annotates the test. */
  onNotice?: (notice: string) => void;
  /** Called with the locator (as a user writes it) of every action and assertion the handler runs. */
  onLocator?: (code: string) => void;
  /** Where observations go (the fixture sends them to the reporter). */
  onObserve: (observation: SelectorObservation) => void;
  /** Unique heal ids within the test. */
  nextHealId: () => string;
  /** The optional LLM layer, asked when the ranker abstains (src/browser/llmHeal.ts). */
  llm?: LlmHealOptions;
  /** What is left of the test's timeout (undefined: no timeout), which an extended wait never outlasts. */
  remainingMs?: () => number | undefined;
  /**
   * The worker's heal screenshots by page, broken selector and fix (up to `KEPT_SCREENSHOTS`): a
   * known fix this worker already pictured reuses that picture instead of taking another one.
   */
  screenshots?: Map<string, Buffer>;
  now?: () => Date;
};

export type Outcome = { ok: true; value: unknown } | { ok: false; error?: unknown; result?: ExpectResult };
export type Failure = Extract<Outcome, { ok: false }>;

/** Actions that act again when run again: a second click adds a second item to a cart, a second Enter submits a form twice. */
export const NOT_REPEATABLE = new Set<string>(['click', 'dblclick', 'tap', 'press', 'pressSequentially', 'type', 'dragTo', 'dispatchEvent']);

/**
 * The ones of those the probe never cuts short: their call log cannot show whether they acted
 * (a key press logs only its start, `dispatchEvent` nothing after its wait), or they act in
 * parts (typing key by key, a drag's press and release). Their probe waits for their element
 * instead, and then they run as written.
 */
export const UNCUT = new Set<string>(['press', 'pressSequentially', 'type', 'dragTo', 'dispatchEvent']);

const KEYBOARD = new Set<string>(['press', 'pressSequentially', 'type']);

/**
 * Whether a failed action may have acted before it failed, from Playwright's call log:
 * - a click, tap or drag whose last attempt performed its pointer action (a click whose handler
 *   kept the page busy is cut off there, delivered but not yet logged done) or is done with it
 *   (a click still waiting for the navigation it started); an earlier attempt that performed
 *   and was then retried did not act (its hit target was another element); a drag that pressed
 *   the mouse button has acted, whatever its release did;
 * - a key press or typing once its element was found: it acts at once, with no check to wait for;
 * - `dispatchEvent` always: it finds its element and dispatches in one call, and logs neither.
 */
export function actedBeforeTimeout(step: WaitingStep, failure: Failure): step is Extract<WaitingStep, { kind: 'action' }> {
  if (step.kind !== 'action' || !(failure.error instanceof Error)) return false;
  const log = failure.error.message;
  if (step.method === 'dispatchEvent') return true;
  if (KEYBOARD.has(step.method)) return /\blocator resolved to\b/.test(log);
  if (step.method === 'dragTo' && /\bmove and down action done\b/.test(log)) return true;
  const lastAttempt = log.split(/\b(?:attempting|retrying) [\w ]+? action\b/).at(-1)!;
  return /\bperforming [\w ]+? action\b|\baction done\b/.test(lastAttempt);
}

/** The probe of an UNCUT action: whether its locator finds its element within PROBE_MS (strict: one). */
export async function probeElement(locator: Locator): Promise<Outcome> {
  try {
    return { ok: true, value: await unreported(locator, () => locator.waitFor({ state: 'attached', timeout: PROBE_MS })) };
  } catch (error) {
    return { ok: false, error };
  }
}

export const stepName = (step: WaitingStep) => (step.kind === 'action' ? step.method : `expect ${step.expression}`);

export async function runStep(step: WaitingStep, target: Locator): Promise<Outcome> {
  try {
    if (step.kind === 'action') return { ok: true, value: await step.run(target) };
    const result = await step.run(target);
    return result.matches !== Boolean(step.options.isNot) ? { ok: true, value: result } : { ok: false, result };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The step with its timeout capped at `ms` (PROBE_MS), or with `extend`, set to `ms`. */
export function withTimeout(step: WaitingStep, ms = PROBE_MS, extend = false): WaitingStep {
  if (step.kind === 'action') {
    const args = argsWithTimeout(step.method, step.args, ms, extend);
    return { ...step, args, run: (target: Locator) => step.run(target, args) };
  }
  const timeout = extend ? ms : Math.min(ms, step.options.timeout && step.options.timeout > 0 ? step.options.timeout : ms);
  const options = { ...step.options, timeout };
  return { ...step, options, run: (target: Locator, override?: ExpectOptions) => step.run(target, override ?? options) };
}

export function settle(outcome: Outcome): unknown {
  if (outcome.ok) return outcome.value;
  if (outcome.result) return outcome.result;
  throw outcome.error;
}

// What each selector prints as (`locator.toString()` parses and renders it: costly on every step).
const codes = new Map<string, string>();
export const ref = (locator: Locator): LocatorRef => {
  const selector = selectorOf(locator);
  let code = codes.get(selector);
  if (code === undefined) {
    if (codes.size >= 10_000) codes.clear();
    codes.set(selector, (code = locator.toString()));
  }
  return { selector, code };
};

/** The catalog's page key and the locator's reference; undefined when the page is gone. */
export function whereOf(locator: Locator): { key: string; from: LocatorRef } | undefined {
  try {
    return { key: pageKey(locator.page().url()), from: ref(locator) };
  } catch {
    return undefined;
  }
}

export type HealBase = Pick<HealReport, 'pageKey' | 'step' | 'from' | 'strategy' | 'category' | 'complexity'>;

/** Reads that leave the page as they found it (with every assertion): a heal pictures their element while they run. */
const PAGE_READS = new Set<string>(['textContent', 'innerText', 'innerHTML', 'inputValue', 'getAttribute', 'isChecked', 'isEnabled', 'isDisabled', 'isEditable', 'boundingBox', 'waitFor']);

/** Whether a step leaves the page as it found it, so its heal's picture can be taken while it runs. */
export function leavesPage(step: WaitingStep): boolean {
  return step.kind === 'expect' || PAGE_READS.has(step.method);
}

/** How many heal screenshots, and how many bytes of them, a worker keeps for reuse (`StepHandlerOptions.screenshots`); the oldest go first. */
export const KEPT_SCREENSHOTS = { count: 200, bytes: 32 * 1024 * 1024 };

/** Keeps a picture for reuse, dropping the oldest beyond `KEPT_SCREENSHOTS`. */
export function keepScreenshot(kept: Map<string, Buffer>, key: string, picture: Buffer): void {
  kept.delete(key);
  kept.set(key, picture);
  let bytes = 0;
  for (const p of kept.values()) bytes += p.length;
  for (const [oldest, p] of kept) {
    if (kept.size <= KEPT_SCREENSHOTS.count && bytes <= KEPT_SCREENSHOTS.bytes) break;
    kept.delete(oldest);
    bytes -= p.length;
  }
}

/**
 * What every healing strategy of a test shares: the options, the catalog, and how observations
 * and heals are recorded and how a healed step is re-run (mode heal) or suggested (mode suggest).
 */
export function createStepKit(options: StepHandlerOptions) {
  const { catalog, healing } = options;
  const now = options.now ?? (() => new Date());
  const rankOptions = {
    ...(healing.threshold === undefined ? {} : { threshold: healing.threshold }),
    ...(healing.minMargin === undefined ? {} : { minMargin: healing.minMargin }),
  };

  const observe = (key: string, from: LocatorRef, outcome: SelectorObservation['outcome'], extra: Partial<SelectorObservation> = {}) => {
    const observation: SelectorObservation = { ...from, pageKey: key, outcome, at: now().toISOString(), ...extra };
    catalog.observe(observation);
    options.onObserve(observation);
  };

  /** Whether the catalog's fingerprint of this selector here is fresh (CAPTURE_FRESH_MS): no need to capture it. */
  const isFresh = (key: string, selector: string) => catalog.fresh(key, selector, now(), CAPTURE_FRESH_MS);

  /** Captures still on their way; the fixture awaits them (`flush`) before the test reports. */
  const pending = new Set<Promise<unknown>>();
  /**
   * Records the fingerprint of the locator's element when it finds exactly one (a sample of
   * the members when it finds many: a list, src/browser/listSteps.ts), in one page call that
   * does not delay the step: sent just before the step, so it sees the element as the step
   * found it. Resolves to whether it captured anything.
   */
  const capture = (locator: Locator, key: string, from: LocatorRef): Promise<boolean> => {
    const at = now().toISOString();
    const work = unreported(locator, () =>
      Promise.all([captureResolved(locator, { testIdAttribute: options.testIdAttribute }), pageStateOf(locator.page(), options.pageState ?? 'url').catch(() => undefined)]),
    )
      .then(([{ fingerprint, set }, state]) => {
        if (fingerprint || set) observe(key, from, 'worked', { ...(fingerprint ? { fingerprint } : { set }), ...(state ? { state } : {}), at });
        return fingerprint !== undefined || set !== undefined;
      })
      .catch(() => false);
    pending.add(work);
    void work.finally(() => pending.delete(work));
    return work;
  };

  /**
   * The healed element's picture. A known fix pictures the same element on the same page in every
   * test that uses it (a login button's fix, in every test that signs in), and a picture costs about
   * 0.1-0.5 s of the step: the worker takes it once and reuses it.
   */
  const shoot = async (base: HealBase, target: Locator, to: LocatorRef): Promise<Buffer | undefined> => {
    const key = `${base.pageKey}\u0000${base.from.selector}\u0000${to.selector}`;
    const kept = base.strategy === 'known_fix' ? options.screenshots?.get(key) : undefined;
    if (kept) return kept;
    const taken = await unhooked(() => target.screenshot({ timeout: 2_000, animations: 'disabled' })).catch(() => undefined);
    if (taken && options.screenshots) keepScreenshot(options.screenshots, key, taken);
    return taken;
  };
  const report = (base: HealBase, fields: Pick<HealReport, 'outcome' | 'to' | 'llm'> & { rank?: RankResult; reason?: string }, started: number, screenshot?: Buffer) => {
    const { rank, reason, ...rest } = fields;
    options.onHeal(
      {
        id: options.nextHealId(),
        ...base,
        ...rest,
        confidence: rank?.confidence ?? 1,
        margin: rank?.margin ?? 0,
        explanation: rank?.best?.contributions ?? [],
        reason: reason ?? rank?.reason ?? '',
        durationMs: Math.max(0, performance.now() - started),
        at: now().toISOString(),
      },
      screenshot,
    );
  };

  /** Mode suggest: the locator each failing step would heal to, for its error message. */
  const suggestions = new WeakMap<WaitingStep, string>();
  const finish = (step: WaitingStep, outcome: Outcome): unknown => {
    const suggestion = suggestions.get(step);
    if (!outcome.ok && suggestion && outcome.error instanceof Error) {
      outcome.error.message += `\n\nplaywright-medic suggests: ${suggestion} (healing.mode is "suggest", so the step fails)`;
    }
    return settle(outcome);
  };

  /** Mode suggest: report and fail with the suggestion; mode heal: re-run the step on `target`. */
  const apply = async (
    step: WaitingStep,
    failure: Failure,
    base: HealBase,
    target: Locator,
    to: LocatorRef,
    started: number,
    rank?: RankResult,
    reason?: string,
    llm?: HealReport['llm'],
  ) => {
    // Whichever strategy found it, a locator a human rejected for this one here is no heal: abstain (the step fails).
    if (catalog.rejected(base.pageKey, base.from.selector, to.selector)) {
      const why = `abstained: the best candidate is ${to.code}, which a review rejected as a heal of ${base.from.code} on ${base.pageKey}`;
      report(base, { outcome: 'abstained', ...(rank ? { rank } : {}), reason: why, ...(llm ? { llm } : {}) }, started);
      return undefined;
    }
    const shot = shoot(base, target, to);
    const extra = { ...(rank ? { rank } : {}), ...(reason ? { reason } : {}), ...(llm ? { llm } : {}) };
    if (healing.mode === 'suggest') {
      report(base, { outcome: 'suggested', to, ...extra }, started, await shot);
      suggestions.set(step, to.code);
      return undefined;
    }
    // The picture shows the element before a step that changes the page; beside one that does not.
    if (!leavesPage(step)) await shot;
    const outcome = await runStep(step, target);
    report(base, { outcome: outcome.ok ? 'healed' : 'failed', to, ...extra }, started, await shot);
    if (!outcome.ok) return undefined;
    // A model's heal waits for a human (llm.reviewHeals): not the catalog's known fix until accepted.
    // The broken selector's failure counts either way.
    observe(base.pageKey, base.from, 'healed', base.strategy === 'llm' && options.llm?.review ? {} : { healedTo: to });
    return outcome;
  };

  return { options, catalog, healing, rankOptions, now, observe, capture, isFresh, pending, report, finish, apply };
}

export type StepKit = ReturnType<typeof createStepKit>;
