import type { Locator, Page } from '@playwright/test';
import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { rankCandidates, type RankResult } from '../healing/rank.js';
import { pageKey, type LocatorRef, type SelectorObservation } from '../learning/catalog.js';
import type { HealReport, HealStrategy } from '../learning/heals.js';
import { extendedWait, SLOW_STEP_MS, timeoutOf } from '../learning/slowSteps.js';
import type { WorkerCatalog } from '../learning/workerCatalog.js';
import { AppDownError, appDownEvidence, type CascadeGuard } from '../resilience/cascadeGuard.js';
import { chainPrefixes } from '../healing/selectorChain.js';
import { candidateElement, captureFingerprint, captureResolved, captureShortlist } from './capture.js';
import { healChain } from './chainHeal.js';
import { chooseLocator } from './chooseLocator.js';
import { argsWithTimeout, selectorOf, unhooked, type ExpectOptions, type ExpectResult, type LocatorStep, type ReadingStep, type StepHandler, type WaitingStep } from './locatorHooks.js';

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
function singleElementStep(step: WaitingStep): boolean {
  return step.kind === 'action' || !(step.expression === 'to.have.count' || step.expression.endsWith('.array'));
}

export type StepHandlerOptions = {
  healing: Pick<MedicConfig['healing'], 'mode' | 'threshold' | 'minMargin'>;
  catalog: WorkerCatalog;
  guard: CascadeGuard;
  testIdAttribute: string;
  /** Where heals go (the fixture turns them into attachments and annotations). */
  onHeal: (report: HealReport, screenshot: Buffer | undefined) => void;
  /** Where observations go (the fixture sends them to the reporter). */
  onObserve: (observation: SelectorObservation) => void;
  /** Unique heal ids within the test. */
  nextHealId: () => string;
  /** What is left of the test's timeout (undefined: no timeout), which an extended wait never outlasts. */
  remainingMs?: () => number | undefined;
  now?: () => Date;
};

type Outcome = { ok: true; value: unknown } | { ok: false; error?: unknown; result?: ExpectResult };
type Failure = Extract<Outcome, { ok: false }>;

const stepName = (step: WaitingStep) => (step.kind === 'action' ? step.method : `expect ${step.expression}`);

async function runStep(step: WaitingStep, target: Locator): Promise<Outcome> {
  try {
    if (step.kind === 'action') return { ok: true, value: await step.run(target) };
    const result = await step.run(target);
    return result.matches !== Boolean(step.options.isNot) ? { ok: true, value: result } : { ok: false, result };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The step with its timeout capped at `ms` (PROBE_MS), or with `extend`, set to `ms`. */
function withTimeout(step: WaitingStep, ms = PROBE_MS, extend = false): WaitingStep {
  if (step.kind === 'action') {
    const args = argsWithTimeout(step.method, step.args, ms, extend);
    return { ...step, args, run: (target: Locator) => step.run(target, args) };
  }
  const timeout = extend ? ms : Math.min(ms, step.options.timeout && step.options.timeout > 0 ? step.options.timeout : ms);
  const options = { ...step.options, timeout };
  return { ...step, options, run: (target: Locator, override?: ExpectOptions) => step.run(target, override ?? options) };
}

function settle(outcome: Outcome): unknown {
  if (outcome.ok) return outcome.value;
  if (outcome.result) return outcome.result;
  throw outcome.error;
}

const ref = (locator: Locator): LocatorRef => ({ selector: selectorOf(locator), code: locator.toString() });

/**
 * The self-healing step: runs an action or assertion as written; when its locator finds
 * nothing (or, in strict mode, too much) it tries the catalog's known fix, then relocates the
 * element by its fingerprint, and re-runs the step on a robust locator for it. Negative
 * assertions and failures on a found element pass through untouched.
 */
export function createStepHandler(options: StepHandlerOptions): StepHandler & { flush: () => Promise<void> } {
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

  /** Captures still on their way; the fixture awaits them (`flush`) before the test reports. */
  const pending = new Set<Promise<unknown>>();
  /**
   * Records the fingerprint of the locator's element when it finds exactly one, without
   * delaying the step: sent just before the step, so it sees the element as the step found it.
   * Resolves to whether it captured one.
   */
  const capture = (locator: Locator, key: string, from: LocatorRef): Promise<boolean> => {
    const at = now().toISOString();
    const work = unhooked(() => captureResolved(locator, { testIdAttribute: options.testIdAttribute }))
      .then(({ fingerprint }) => {
        if (fingerprint) observe(key, from, 'worked', { fingerprint, at });
        return fingerprint !== undefined;
      })
      .catch(() => false);
    pending.add(work);
    void work.finally(() => pending.delete(work));
    return work;
  };

  type HealBase = Pick<HealReport, 'pageKey' | 'step' | 'from' | 'strategy' | 'category'>;
  const shoot = (target: Locator) => unhooked(() => target.screenshot({ timeout: 2_000, animations: 'disabled' })).catch(() => undefined);
  const report = (base: HealBase, fields: Pick<HealReport, 'outcome' | 'to'> & { rank?: RankResult; reason?: string }, started: number, screenshot?: Buffer) => {
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
  const apply = async (step: WaitingStep, failure: Failure, base: HealBase, target: Locator, to: LocatorRef, started: number, rank?: RankResult, reason?: string) => {
    const screenshot = await shoot(target);
    if (healing.mode === 'suggest') {
      report(base, { outcome: 'suggested', to, ...(rank ? { rank } : {}), ...(reason ? { reason } : {}) }, started, screenshot);
      suggestions.set(step, to.code);
      return undefined;
    }
    const outcome = await runStep(step, target);
    report(base, { outcome: outcome.ok ? 'healed' : 'failed', to, ...(rank ? { rank } : {}), ...(reason ? { reason } : {}) }, started, screenshot);
    if (!outcome.ok) return undefined;
    observe(base.pageKey, base.from, 'healed', { healedTo: to });
    return outcome;
  };

  /** Candidates and the element each stands for; for strict mode, only the elements the locator matched. */
  const relocate = async (page: Page, locator: Locator, fingerprint: Fingerprint, strategy: HealStrategy) => {
    if (strategy === 'disambiguate') {
      const count = Math.min(await locator.count(), 50);
      const candidates: Candidate[] = [];
      for (let i = 0; i < count; i++) candidates.push({ ...(await captureFingerprint(locator.nth(i))), index: i });
      const rank = rankCandidates(fingerprint, candidates, rankOptions);
      const element = rank.decision === 'heal' ? await locator.nth(rank.best!.index).elementHandle() : undefined;
      return { rank, element, candidate: rank.best ? candidates[rank.best.index] : undefined };
    }
    // The page's elements, prefiltered in the page to the few hundred most like the fingerprint.
    const candidates = await captureShortlist(page, fingerprint);
    const rank = rankCandidates(fingerprint, candidates, rankOptions);
    const element = rank.decision === 'heal' ? await candidateElement(page, rank.best!.index) : undefined;
    return { rank, element, candidate: rank.best ? candidates.find((c) => c.index === rank.best!.index) : undefined };
  };

  /**
   * Relocation (or, for strict mode, disambiguation): the step's outcome on the healed
   * locator; null when the locator is broken and nothing safe was found; undefined when the
   * locator is not broken (its element is there: a real failure).
   */
  const heal = async (locator: Locator, step: WaitingStep, failure: Failure, key: string, from: LocatorRef): Promise<Outcome | null | undefined> => {
    const started = performance.now();
    const count = await unhooked(() => locator.count()).catch(() => -1);
    const message = failure.error instanceof Error ? failure.error.message : String(failure.result?.errorMessage ?? '');
    const strategy: HealStrategy | undefined = count === 0 ? 'relocate' : count > 1 && /strict mode violation/i.test(message) ? 'disambiguate' : undefined;
    if (!strategy) return undefined; // the element is there: a real failure, not a broken locator
    return (await relocateAndApply(locator, step, failure, key, from, strategy, started)) ?? null;
  };

  const relocateAndApply = async (
    locator: Locator,
    step: WaitingStep,
    failure: Failure,
    key: string,
    from: LocatorRef,
    strategy: HealStrategy,
    started: number,
  ): Promise<Outcome | undefined> => {
    const page = locator.page();
    const category = strategy === 'relocate' ? 'selector_missing' : 'strict_mode';
    const found = await options.guard.attempt(async () => {
      const evidence = appDownEvidence(page.url(), failure.error);
      if (evidence) throw new AppDownError(evidence);
      if (strategy === 'relocate' && chainPrefixes(from.selector).length > 0) {
        const deps = { fingerprint: (selector: string) => catalog.fingerprint(key, selector), rankOptions, testIdAttribute: options.testIdAttribute };
        const chained = await unhooked(() => healChain(page, from.selector, deps));
        if (chained) return { chained };
      }
      const fingerprint = catalog.fingerprint(key, from.selector);
      if (!fingerprint) return undefined; // never seen working on this page: nothing to heal from
      return unhooked(() => relocate(page, locator, fingerprint, strategy));
    });
    if (!found) return undefined;
    const base: HealBase = { pageKey: key, step: stepName(step), from, strategy, category };
    if ('chained' in found) {
      const { chained } = found;
      return apply(step, failure, base, chained.locator, { selector: selectorOf(chained.locator), code: chained.code }, started, chained.rank, chained.reason);
    }
    const { rank, element, candidate } = found;
    if (!element || rank.decision !== 'heal') {
      report(base, { outcome: 'abstained', rank }, started);
      return undefined;
    }
    const choice = await unhooked(() =>
      chooseLocator(page, element, { testIdAttribute: options.testIdAttribute, ...(candidate ? { fingerprint: candidate } : {}) }),
    );
    await element.dispose().catch(() => undefined);
    if (!choice.ok) {
      report(base, { outcome: 'abstained', rank, reason: `abstained: ${choice.reason}` }, started);
      return undefined;
    }
    return apply(step, failure, base, choice.locator, { selector: selectorOf(choice.locator), code: choice.code }, started, rank);
  };

  /** The slowest each selector's working steps took in this test, once past SLOW_STEP_MS. */
  const slow = new Map<string, number>();
  const noteSlow = (key: string, from: LocatorRef, ms: number) => {
    const id = `${key} ${from.selector}`;
    if (ms < SLOW_STEP_MS || ms <= (slow.get(id) ?? 0)) return;
    slow.set(id, ms);
    observe(key, from, 'worked', { waitedMs: Math.round(ms) });
  };

  /** Selectors whose original locator worked again in this test although the catalog knows a fix. */
  const worksAgain = new Set<string>();
  /**
   * The catalog knows this selector broke here and what fixed it: use the fix without waiting
   * for the original's timeout. One look at both (no waiting when either is there); once the
   * original works again, it is not looked at again in this test.
   */
  const knownFix = async (locator: Locator, step: WaitingStep, key: string, from: LocatorRef): Promise<Outcome | undefined> => {
    const fix = catalog.knownFix(key, from.selector);
    if (!fix || healing.mode === 'off' || !singleElementStep(step) || worksAgain.has(`${key} ${from.selector}`)) return undefined;
    const page = locator.page();
    const fixed = page.locator(fix.selector);
    const started = performance.now();
    const which = await unhooked(async () => {
      const look = async () => {
        const [original, healed] = await Promise.all([locator.count(), fixed.count()]);
        return original === 1 ? 'original' : healed === 1 ? 'fix' : original > 1 ? 'original' : undefined;
      };
      const first = await look();
      if (first) return first;
      // Neither is there yet: the page may still be rendering.
      await locator.or(fixed).first().waitFor({ state: 'attached', timeout: PROBE_MS });
      return (await look()) ?? 'none';
    }).catch(() => 'none');
    if (which === 'original') worksAgain.add(`${key} ${from.selector}`);
    if (which !== 'fix') return undefined;
    const base: HealBase = { pageKey: key, step: stepName(step), from, strategy: 'known_fix', category: 'selector_missing' };
    return apply(step, { ok: false }, base, fixed, fix, started, undefined, `healed with the fix the catalog knows for this selector on ${key}`);
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
    if (timeoutMs === undefined) return undefined;
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

  /** Heals, or says in the step's error why it could not try; never throws. */
  const tryHeal = async (locator: Locator, step: WaitingStep, failure: Failure, key: string, from: LocatorRef, early: boolean) => {
    try {
      if (early) await unhooked(() => locator.page().waitForLoadState('load', { timeout: 1_000 })).catch(() => undefined);
      return await heal(locator, step, failure, key, from);
    } catch (error) {
      // A heal that breaks must never hide the step's own failure.
      if (failure.error instanceof Error) failure.error.message += `\n\nplaywright-medic could not try to heal this step: ${describeError(error)}`;
      return undefined;
    }
  };

  /**
   * A read that does not wait (`count()`, `isVisible()`) fails silently on a broken locator (0,
   * false), which is also a normal answer: only a fix the catalog knows for this selector on this
   * page heals it, never a search.
   */
  const read = async (locator: Locator, step: ReadingStep): Promise<unknown> => {
    const nothing = (v: unknown) => v === 0 || v === false || (Array.isArray(v) && v.length === 0);
    const value = await step.run(locator);
    if (!nothing(value) || healing.mode === 'off') return value;
    let key: string;
    let from: LocatorRef;
    try {
      key = pageKey(locator.page().url());
      from = ref(locator);
    } catch {
      return value;
    }
    const fix = catalog.knownFix(key, from.selector);
    if (!fix) return value;
    const started = performance.now();
    const healed = await step.run(locator.page().locator(fix.selector)).catch(() => value);
    if (nothing(healed)) return value;
    const base: HealBase = { pageKey: key, step: step.method, from, strategy: 'known_fix', category: 'selector_missing' };
    const reason = `healed with the fix the catalog knows for this selector on ${key}`;
    report(base, { outcome: healing.mode === 'suggest' ? 'suggested' : 'healed', to: fix, reason }, started);
    if (healing.mode === 'suggest') return value;
    observe(key, from, 'healed', { healedTo: fix });
    return healed;
  };

  const handler = async (locator: Locator, step: LocatorStep): Promise<unknown> => {
    if (step.kind === 'read') return read(locator, step);
    if (isNegativeStep(step)) return settle(await runStep(step, locator));
    let key: string;
    let from: LocatorRef;
    try {
      key = pageKey(locator.page().url());
      from = ref(locator);
    } catch {
      return settle(await runStep(step, locator));
    }
    const fixed = await knownFix(locator, step, key, from);
    if (fixed) return settle(fixed);

    const first = catalog.firstUse(key, from.selector);
    const captured = first ? capture(locator, key, from) : undefined;
    // A chain's parts get fingerprints of their own, so a broken link can be healed by itself.
    if (first) for (const part of chainPrefixes(from.selector)) if (catalog.firstUse(key, part)) void capture(locator.page().locator(part), key, ref(locator.page().locator(part)));
    const healable = healing.mode !== 'off' && singleElementStep(step) && catalog.fingerprint(key, from.selector) !== undefined;
    const started = performance.now();
    // Whether the step recovered after a heal attempt that abstained: its failure is counted only if not.
    let abstained = false;
    /** The step's end: learn from how it went (`healed`: it passed on another locator). */
    const done = async (outcome: Outcome, healed = false): Promise<unknown> => {
      if (outcome.ok && captured && !(await captured)) void capture(locator, key, from); // the element appeared during the step
      if (outcome.ok && !healed) noteSlow(key, from, performance.now() - started);
      if (!outcome.ok && !abstained && healing.mode !== 'off') {
        const waited = await waitLonger(locator, step, outcome, key, from).catch(() => undefined);
        if (waited) {
          noteSlow(key, from, performance.now() - started);
          return finish(step, waited);
        }
      }
      if (!outcome.ok && abstained) observe(key, from, 'failed');
      return finish(step, outcome);
    };
    if (healable) {
      // The catalog knows this element here: do not spend the step's whole timeout (or the
      // test's, with no action timeout) waiting for it before looking for it elsewhere.
      const probe = await runStep(withTimeout(step), locator);
      if (probe.ok) return done(probe);
      const healed = await tryHeal(locator, step, probe, key, from, true);
      if (healed) return done(healed, true);
      abstained = healed === null;
      // Nothing safe was found: the step as written, with its own timeout (the element may be slow).
      return done(await runStep(step, locator));
    }
    const outcome = await runStep(step, locator);
    if (outcome.ok || healing.mode === 'off' || !singleElementStep(step)) return done(outcome);
    const healed = await tryHeal(locator, step, outcome, key, from, false);
    abstained = healed === null;
    return healed ? done(healed, true) : done(outcome);
  };
  return Object.assign(handler, {
    /** Waits for the captures still under way, so that their observations are sent with the test's. */
    flush: async (): Promise<void> => {
      while (pending.size) await Promise.all([...pending]);
    },
  });
}
