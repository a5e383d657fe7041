import type { ElementHandle, Locator, Page } from '@playwright/test';
import { describeError } from '../errors.js';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import type { RankResult } from '../healing/rank.js';
import { chainPrefixes } from '../healing/selectorChain.js';
import type { LocatorRef } from '../learning/catalog.js';
import type { Kin } from '../learning/workerCatalog.js';
import type { HealStrategy } from '../learning/heals.js';
import { orderStrategies, rankStrategies } from '../learning/strategies.js';
import { AppDownError, appDownEvidence } from '../resilience/cascadeGuard.js';
import { healChain } from './chainHeal.js';
import { createModelHeal } from './llmHeal.js';
import { chooseLocator } from './chooseLocator.js';
import { confirmByKin } from './kinHeal.js';
import { createKnownFixes } from './knownFix.js';
import { healFromSet, isListStep, setPlan, type SetPlan } from './listSteps.js';
import { selectorOf, unhooked, unreported, type LocatorStep, type StepHandler, type WaitingStep } from './locatorHooks.js';
import { driftNotice, positionDrift, positionOf } from './positionDrift.js';
import { healByPosition, type PositionHeal } from './positionHeal.js';
import { disambiguate, relocate as relocateInPage } from './relocate.js';
import { createSlowSteps } from './slowStep.js';
import {
  actedBeforeTimeout,
  createStepKit,
  isNegativeStep,
  NOT_REPEATABLE,
  probeElement,
  ref,
  runStep,
  settle,
  singleElementStep,
  stepName,
  UNCUT,
  whereOf,
  withTimeout,
  type Failure,
  type HealBase,
  type Outcome,
  type StepHandlerOptions,
} from './stepKit.js';

export { isNegativeStep, PROBE_MS, type StepHandlerOptions } from './stepKit.js';

/** A relocation's ranking, the element it heals to, and the related element that confirmed it when the ranker alone abstained. */
type Relocated = {
  rank: RankResult;
  element: ElementHandle<Element> | null | undefined;
  candidate: Candidate | undefined;
  /** The candidates it ranked, when it looked in the whole page. */
  candidates?: Candidate[];
  kin?: Kin;
};

/** What a relocation found: a healed chain, a position in a healed list, or the ranking's own pick. */
type Found =
  | { chained: NonNullable<Awaited<ReturnType<typeof healChain>>> }
  | { positioned: Extract<PositionHeal, { ok: true }>; rank: RankResult }
  | Relocated;

/**
 * The self-healing step: runs an action or assertion as written; when its locator finds
 * nothing (or, in strict mode, too much) it tries the catalog's known fix, then relocates the
 * element by its fingerprint, and re-runs the step on a robust locator for it. Negative
 * assertions and failures on a found element pass through untouched.
 */
export function createStepHandler(options: StepHandlerOptions): StepHandler & { flush: () => Promise<void> } {
  const kit = createStepKit(options);
  const { catalog, healing, rankOptions, observe, capture, isFresh, pending, report, finish, apply } = kit;
  const { knownFix, read } = createKnownFixes(kit);
  const { noteSlow, waitLonger } = createSlowSteps(kit);

  /** Candidates and the element each stands for; for strict mode, only the elements the locator matched. */
  const relocate = async (page: Page, locator: Locator, fingerprint: Fingerprint, strategy: HealStrategy): Promise<Relocated> => {
    if (strategy === 'disambiguate') return disambiguate(locator, fingerprint, rankOptions);
    // The page's elements, prefiltered in the page to the few hundred most like the fingerprint.
    return relocateInPage(page, fingerprint, rankOptions);
  };

  /** A heal's search behind the cascade guard, which stops when the application itself is down. */
  const guarded = <T>(page: Page, failure: Failure, search: () => Promise<T>): Promise<T | undefined> =>
    options.guard.attempt(async () => {
      const evidence = appDownEvidence(page.url(), failure.error);
      if (evidence) throw new AppDownError(evidence);
      return search();
    });
  const askModel = createModelHeal(kit, guarded);

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
    // A list heals as a set, and so does a chain that picks by position on a known list (nth on
    // the healed list); any other chain on a known list tries the set when the chain heal finds nothing.
    const plan = strategy === 'relocate' ? setPlan(catalog, key, from, isListStep(step)) : undefined;
    const setFirst = plan !== undefined && (isListStep(step) || plan.rest?.startsWith('nth=') === true);
    if (setFirst) {
      const set = await healAsSet(locator, step, failure, key, from, plan, started);
      if (set || isListStep(step)) return set ?? null; // else the chain relocates its own element
    }
    if (!plan || setFirst) return (await relocateAndApply(locator, step, failure, key, from, strategy, started)) ?? null;
    // A chain on a known list: its own element, else the list's set heal; the other way round
    // when the set heal has done better at chains in earlier runs (the strategy tracker).
    // Each is timed on its own, and a set heal that finds nothing says so: the tracker compares them fairly.
    for (const next of chainOrder()) {
      const outcome =
        next === 'relocate'
          ? await relocateAndApply(locator, step, failure, key, from, strategy, performance.now())
          : await healAsSet(locator, step, failure, key, from, plan, performance.now(), true);
      if (outcome) return outcome;
    }
    return null;
  };

  let chainOrdered: ('relocate' | 'relocate_set')[] | undefined;
  const chainOrder = () => (chainOrdered ??= orderStrategies(['relocate', 'relocate_set'], rankStrategies(options.executions ?? [], 'selector_missing', { complexity: 'chain' })));

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
    const found = await guarded(page, failure, async (): Promise<Found | undefined> => {
      if (strategy === 'relocate' && chainPrefixes(from.selector).length > 0) {
        const deps = { fingerprint: (selector: string) => catalog.fingerprint(key, selector), rankOptions, testIdAttribute: options.testIdAttribute };
        const chained = await unhooked(() => healChain(page, from.selector, deps));
        if (chained) return { chained };
      }
      const fingerprint = catalog.fingerprint(key, from.selector);
      if (!fingerprint) return undefined; // never seen working on this page: nothing to heal from
      const relocated = await unhooked(() => relocate(page, locator, fingerprint, strategy));
      if (relocated.element || strategy !== 'relocate') return relocated;
      // The ranker abstained: a related element with a known fix here may confirm its best candidate.
      const confirmed = await unhooked(() => confirmByKin(page, relocated.rank, catalog.kinWithFixes(key, fingerprint)));
      if (confirmed) return { ...relocated, ...confirmed };
      // A locator that picks by position may be torn only between its list's alike siblings.
      const position = positionOf(from.selector);
      if (!position || !relocated.candidates) return relocated;
      const positioned = await unhooked(() =>
        healByPosition(page, fingerprint, relocated.candidates!, position, { ...rankOptions, testIdAttribute: options.testIdAttribute }),
      );
      return positioned.ok ? { positioned, rank: relocated.rank } : relocated;
    });
    if (!found) return undefined;
    const base: HealBase = { pageKey: key, step: stepName(step), from, strategy, category };
    if ('chained' in found) {
      const { chained } = found;
      return apply(step, failure, base, chained.locator, { selector: selectorOf(chained.locator), code: chained.code }, started, chained.rank, chained.reason);
    }
    if ('positioned' in found) {
      const { positioned, rank } = found;
      const listRank: RankResult = { ...rank, decision: 'heal', confidence: positioned.pick.confidence, margin: positioned.pick.margin, reason: positioned.pick.reason };
      return apply(step, failure, base, positioned.locator, { selector: selectorOf(positioned.locator), code: positioned.code }, started, listRank);
    }
    const { rank, element, candidate, kin } = found;
    if (!element || (rank.decision !== 'heal' && !kin)) return askModel(page, step, failure, base, found, started);
    const choice = await unhooked(() =>
      chooseLocator(page, element, { testIdAttribute: options.testIdAttribute, ...(candidate ? { fingerprint: candidate } : {}) }),
    );
    await element.dispose().catch(() => undefined);
    if (!choice.ok) {
      report(base, { outcome: 'abstained', rank, reason: `abstained: ${choice.reason}` }, started);
      return undefined;
    }
    const reason = kin
      ? `the best candidate (confidence ${rank.confidence.toFixed(2)}) is the ${kin.relation === 'child' ? 'parent' : 'child'} of the element of ${kin.fix.code}, ` +
        `the fix the catalog knows here for ${kin.from.code}, which was this element's ${kin.relation}`
      : undefined;
    return apply(step, failure, base, choice.locator, { selector: selectorOf(choice.locator), code: choice.code }, started, rank, reason);
  };

  /** Relocates the plan's set and re-runs the step on it (src/browser/listSteps.ts). */
  const healAsSet = async (locator: Locator, step: WaitingStep, failure: Failure, key: string, from: LocatorRef, plan: SetPlan, started: number, reportMiss = false) => {
    const page = locator.page();
    const found = await guarded(page, failure, () =>
      unhooked(() => healFromSet(page, plan, step, { ...rankOptions, testIdAttribute: options.testIdAttribute }, catalog.knownFix(key, plan.base.selector))),
    );
    // A list step heals the list; any other step on it is a chain on the list, or a position in it.
    const complexity = isListStep(step) || plan.rest?.startsWith('nth=') ? 'list' : 'chain';
    const base: HealBase = { pageKey: key, step: stepName(step), from, strategy: 'relocate_set', category: 'selector_missing', complexity };
    if (found?.ok) return apply(step, failure, found.known ? { ...base, strategy: 'known_fix' } : base, found.target, found.to, started, found.rank);
    if (found && (isListStep(step) || reportMiss)) report(base, { outcome: 'abstained', rank: found.rank }, started);
    return undefined;
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

  /** A locator that picks by position and now finds another element is said once (positionDrift.ts); never changed. */
  const noteDrift = async (locator: Locator, key: string, from: LocatorRef): Promise<boolean> => {
    const position = healing.mode === 'off' || !options.onNotice ? undefined : positionOf(from.selector);
    const stored = position ? catalog.fingerprint(key, from.selector) : undefined;
    if (!position || !stored || !options.onNotice) return false;
    const drift = await unreported(locator, () => positionDrift(locator, position, stored, rankOptions)).catch(() => undefined);
    if (drift) options.onNotice(driftNotice(from.code, drift));
    return drift !== undefined;
  };

  const handler = async (locator: Locator, step: LocatorStep): Promise<unknown> => {
    if (step.kind === 'read') return read(locator, step);
    if (isNegativeStep(step)) return settle(await runStep(step, locator));
    const where = whereOf(locator);
    if (!where) return settle(await runStep(step, locator));
    const { key, from } = where;
    options.onLocator?.(`page.${from.code}`);
    const fixed = await knownFix(locator, step, key, from);
    if (fixed) return settle(fixed);

    // Captured once per selector and page in a worker, unless the catalog got it here within the
    // last CAPTURE_FRESH_MS: then only the step's success is counted (no page call).
    const first = catalog.firstUse(key, from.selector);
    // A drifted position keeps the fingerprint the test was written against (no capture), so the
    // next run says it again while it lasts.
    const drifted = first && (await noteDrift(locator, key, from));
    const known = first && (drifted || isFresh(key, from.selector));
    const captured = first && !known ? capture(locator, key, from) : undefined;
    // A chain's parts get fingerprints of their own, so a broken link can be healed by itself.
    const knownParts: LocatorRef[] = [];
    for (const part of first ? chainPrefixes(from.selector) : []) {
      if (!catalog.firstUse(key, part)) continue;
      const partRef = ref(locator.page().locator(part));
      if (isFresh(key, part)) knownParts.push(partRef);
      else void capture(locator.page().locator(part), key, partRef);
    }
    const healable =
      healing.mode !== 'off' && ((singleElementStep(step) && catalog.fingerprint(key, from.selector) !== undefined) || setPlan(catalog, key, from, isListStep(step)) !== undefined);
    const started = performance.now();
    // Whether the step recovered after a heal attempt that abstained: its failure is counted only if not.
    let abstained = false;
    /** The step's end: learn from how it went (`healed`: it passed on another locator). */
    const done = async (outcome: Outcome, healed = false): Promise<unknown> => {
      // The capture sent before the step is not waited for (it often takes longer than an
      // assertion that passes at once). When it found nothing, the element appeared during the
      // step: it is captured again, unless the page has moved on by then. `flush` waits for both.
      if (outcome.ok && captured) {
        const again = captured.then((ok) => (ok || whereOf(locator)?.key !== key ? undefined : capture(locator, key, from)));
        pending.add(again);
        void again.finally(() => pending.delete(again));
      }
      if (outcome.ok && !healed) for (const counted of [...(known ? [from] : []), ...knownParts]) observe(key, counted, 'worked');
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
      // An action that must not run twice and whose call log cannot say whether it acted (UNCUT)
      // is never cut short: its probe only waits for its element, then it runs as written.
      const uncut = step.kind === 'action' && UNCUT.has(step.method);
      const probe = uncut ? await probeElement(locator) : await runStep(withTimeout(step), locator);
      if (probe.ok) return done(uncut ? await runStep(step, locator) : probe);
      // The probe ran out of time while or after its action was performed: the element was there
      // and was acted on, so it is not healed, which would look for it on the next page. A click
      // is done (clicking again would add a second item to a cart); other actions run again as written.
      if (!uncut && actedBeforeTimeout(step, probe)) return done(NOT_REPEATABLE.has(step.method) ? { ok: true, value: undefined } : await runStep(step, locator));
      const healed = await tryHeal(locator, step, probe, key, from, true);
      if (healed) return done(healed, true);
      abstained = healed === null;
      // Nothing safe was found: the step as written, with its own timeout (the element may be slow).
      return done(await runStep(step, locator));
    }
    const outcome = await runStep(step, locator);
    // An action that acted before it failed is no broken locator, even where the page it left no longer has its element.
    if (outcome.ok || healing.mode === 'off' || !singleElementStep(step) || actedBeforeTimeout(step, outcome)) return done(outcome);
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
