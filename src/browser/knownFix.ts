import type { Locator } from '@playwright/test';
import type { LocatorRef } from '../learning/catalog.js';
import { unhooked, type ReadingStep, type WaitingStep } from './locatorHooks.js';
import { PROBE_MS, singleElementStep, whereOf, stepName, type HealBase, type Outcome, type StepKit } from './stepKit.js';

/**
 * Known fixes: a heal the catalog recorded for this selector on this page is used first, for
 * waiting steps without waiting out the original's timeout, and for reads that do not wait
 * (`count()`, `isVisible()`) as the only way they heal.
 */
export function createKnownFixes(kit: StepKit) {
  const { catalog, healing, observe, report, apply } = kit;
  /** Selectors whose original locator worked again in this test although the catalog knows a fix. */
  const worksAgain = new Set<string>();
  /**
   * The catalog knows this selector broke here and what fixed it: use the fix without waiting
   * for the original's timeout. One look at both (no waiting when either is there); once the
   * original works again, it is not looked at again in this test.
   */
  const knownFix = async (locator: Locator, step: WaitingStep, key: string, from: LocatorRef): Promise<Outcome | undefined> => {
    const fix = catalog.knownFix(key, from.selector);
    if (!fix || healing.mode === 'off' || worksAgain.has(`${key} ${from.selector}`)) return undefined;
    const page = locator.page();
    const fixed = page.locator(fix.selector);
    const started = performance.now();
    const which = await unhooked(async () => {
      const look = async () => {
        const [original, healed] = await Promise.all([locator.count(), fixed.count()]);
        if (!singleElementStep(step)) return original > 0 ? 'original' : healed > 0 ? 'fix' : undefined; // a list's fix is a set
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
   * A read that does not wait (`count()`, `isVisible()`) fails silently on a broken locator (0,
   * false), which is also a normal answer: only a fix the catalog knows for this selector on this
   * page heals it, never a search.
   */
  const read = async (locator: Locator, step: ReadingStep): Promise<unknown> => {
    const nothing = (v: unknown) => v === 0 || v === false || (Array.isArray(v) && v.length === 0);
    const value = await step.run(locator);
    if (!nothing(value) || healing.mode === 'off') return value;
    const where = whereOf(locator);
    if (!where) return value;
    const { key, from } = where;
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

  return { knownFix, read };
}
