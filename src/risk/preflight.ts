import { chromium, firefox, selectors, webkit, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from '@playwright/test';
import { healChain } from '../browser/chainHeal.js';
import { chooseLocator } from '../browser/chooseLocator.js';
import { selectorOf } from '../browser/locatorHooks.js';
import { disambiguate, relocate } from '../browser/relocate.js';
import { healSet } from '../browser/setHeal.js';
import { restoreStorage, type PageStateMode } from '../browser/pageState.js';
import type { LocatorRef, PageState, SelectorObservation, SelectorRecord } from '../learning/catalog.js';
import { WorkerCatalog } from '../learning/workerCatalog.js';
import type { Fingerprint } from '../healing/fingerprint.js';
import type { RankOptions } from '../healing/rank.js';
import { chainPrefixes, selectorLinks } from '../healing/selectorChain.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { isStale } from './evidence.js';

export type PreflightOptions = {
  project: string;
  /** Where the app runs (the Playwright project's `use.baseURL`). */
  baseURL: string;
  browserName?: 'chromium' | 'firefox' | 'webkit';
  launchOptions?: LaunchOptions;
  /** The project's storage state, credentials and headers, so pages open as the tests see them. */
  contextOptions?: BrowserContextOptions;
  testIdAttribute?: string;
  /** What of a record's page state to restore (`risk.preflightState`; default `url`): its address, and with `storage` its storage too. */
  state?: PageStateMode;
  /** The catalog records to check, most urgent first. */
  records: readonly SelectorRecord[];
  /** The whole catalog of the project (default: `records`): where a chain's parts find their fingerprints. */
  catalog?: readonly SelectorRecord[];
  /** Stops opening pages after this long (ms). */
  budgetMs: number;
  rankOptions?: RankOptions;
  now?: () => Date;
};

export type PreflightResult = {
  pages: number;
  checked: number;
  /** Still found where the catalog saw them. */
  verified: number;
  /** Not found, relocated with confidence, and recorded as a known fix for the suite. */
  healed: Array<{ pageKey: string; from: string; to: string; confidence: number }>;
  /** Not found and not healed: gone, only there in a state the page does not open in, or found with other content (left to the test). */
  missing: Array<{ pageKey: string; code: string; why: 'not found' | 'ambiguous' | 'content changed' | 'no locator' | 'error' }>;
  /** Pages left for want of time, or that cannot be opened without the ids the catalog drops. */
  skipped: number;
  /** Selectors planned but not checked (their page skipped, or the time was up). */
  unchecked: number;
  ms: number;
};

const CONTENT = ['visibleText', 'accessibleName', 'label', 'placeholder', 'alt', 'title'] as const;
const normal = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
/** Whether an element still shows what it showed: the stored element's first text (visible text, else its name, label, …) is one of the candidate's. */
export function sameContent(stored: Fingerprint, candidate: Fingerprint): boolean {
  const first = CONTENT.map((k) => stored[k]).find((v): v is string => !!v && !!normal(v));
  if (first === undefined) return true; // nothing to compare: an empty container, an icon
  return CONTENT.some((k) => normal(candidate[k] ?? '') === normal(first));
}

/** A page the catalog knows can be opened from its key: a path, without the `:id` the key stands for. */
const openable = (pageKey: string) => pageKey.startsWith('/') && !pageKey.split('/').includes(':id');

/**
 * Pre-flight: before the suite, opens the pages of catalogued selectors and checks each is
 * still there; one that is not is relocated from its fingerprint (the same ranker and
 * thresholds as a heal during a test) and its new locator is recorded as a known fix, so the
 * suite uses it at once instead of finding the break one timeout at a time. Nothing is recorded
 * as failed: an element missing on a freshly opened page may only appear after steps a test
 * takes. Bounded by `budgetMs`.
 * @example const result = await preflight(store, { project: 'shop', baseURL, records, budgetMs: 20_000 });
 */
export async function preflight(store: KnowledgeStore, options: PreflightOptions): Promise<PreflightResult> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const result: PreflightResult = { pages: 0, checked: 0, verified: 0, healed: [], missing: [], skipped: 0, unchecked: 0, ms: 0 };
  const visits = new Map<string, Visit>();
  for (const r of options.records) {
    // A position pick (`.first()`, `.nth(1)`) may now hold another element, which the test is
    // told of: it heals inside a test.
    if ((!r.fingerprint && !r.set) || /\bnth=/.test(r.selector)) continue;
    const visit = visitOf(r, options.state ?? 'url');
    // A list, and a chain (`card.filter({ hasText: 'Lamp' }).getByRole('button')`), name elements
    // of the page's state (this cart's rows): checked only on a page whose storage was put back.
    if (!visit.storage && (r.set || chained(r.selector))) continue;
    const key = `${visit.address}\u0000${visit.storage ? JSON.stringify(visit.storage) : ''}`;
    const known = visits.get(key);
    if (known) known.records.push(r);
    else visits.set(key, { ...visit, records: [r] });
  }
  const run = `preflight:${now().toISOString()}`;
  // Where a chain's parts find their fingerprints.
  const known = new WorkerCatalog(options.project, options.catalog ?? options.records);
  const observations: SelectorObservation[] = [];
  const left = () => options.budgetMs - (performance.now() - started);
  const browser: Browser = await { chromium, firefox, webkit }[options.browserName ?? 'chromium'].launch({ ...options.launchOptions, timeout: Math.max(1000, left()) });
  try {
    const contextOptions = { ...options.contextOptions, baseURL: options.baseURL };
    const shared = await browser.newContext(contextOptions);
    if (options.testIdAttribute) selectors.setTestIdAttribute(options.testIdAttribute);
    for (const visit of visits.values()) {
      if (!visit.openable || left() <= 0) {
        result.skipped++;
        continue;
      }
      // A recorded storage gets a context of its own, so it does not leak into another page.
      let context: BrowserContext | undefined;
      let page: Page | undefined;
      try {
        context = visit.storage ? await browser.newContext(contextOptions) : shared;
        page = await context.newPage();
        // No wait of a check outlasts what is left (a page that keeps changing under a capture).
        page.setDefaultTimeout(Math.max(1000, Math.min(CHECK_TIMEOUT_MS, left())));
        if (visit.storage) await restoreStorage(page, visit.storage, new URL(options.baseURL).origin);
        const response = await page.goto(visit.address, { waitUntil: 'load', timeout: Math.max(1000, left()) });
        // An error page, or a redirect (to a sign-in page): not the page the selectors were seen on.
        if ((response && !response.ok()) || new URL(page.url()).pathname !== new URL(visit.address, options.baseURL).pathname) {
          result.skipped++;
          continue;
        }
        result.pages++;
        for (const record of visit.records) {
          if (left() <= 0) break;
          result.checked++;
          try {
            observations.push(...(await check(page, record, options, result, run, now, visit.storage !== undefined, known)));
          } catch {
            result.missing.push({ pageKey: record.pageKey, code: record.code, why: 'error' });
          }
        }
      } catch {
        result.skipped++;
      } finally {
        await page?.close().catch(() => undefined);
        if (context && context !== shared) await context.close().catch(() => undefined);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
  }
  if (observations.length) await store.recordSelectors(options.project, observations);
  for (const visit of visits.values()) result.unchecked += visit.records.length;
  result.unchecked -= result.checked;
  result.ms = performance.now() - started;
  return result;
}

/** The longest any one wait of a check may take (ms). */
const CHECK_TIMEOUT_MS = 5_000;

/** One page pre-flight opens: its address, the storage it restores first, and the records it checks there. */
type Visit = { address: string; openable: boolean; storage?: NonNullable<PageState['storage']>; records: SelectorRecord[] };

/** Where pre-flight opens a record's page: the address (and storage) recorded with its fingerprint, as `state` allows; else its page key. */
function visitOf(record: SelectorRecord, state: PageStateMode): Omit<Visit, 'records'> {
  const recorded = state === 'off' ? undefined : record.state;
  if (!recorded) return { address: record.pageKey, openable: openable(record.pageKey) };
  return { address: recorded.url, openable: true, ...(state === 'storage' && recorded.storage ? { storage: recorded.storage } : {}) };
}

async function check(
  page: Page,
  record: SelectorRecord,
  options: PreflightOptions,
  result: PreflightResult,
  run: string,
  now: () => Date,
  restored: boolean,
  known: WorkerCatalog,
): Promise<SelectorObservation[]> {
  const from = { selector: record.selector, code: record.code };
  const at = () => now().toISOString();
  const verified = (): SelectorObservation[] => {
    result.verified++;
    return [{ ...from, pageKey: record.pageKey, outcome: 'worked', run, at: at() }];
  };
  const healed = (to: LocatorRef, confidence: number): SelectorObservation[] => {
    result.healed.push({ pageKey: record.pageKey, from: record.code, to: to.code, confidence });
    return [{ ...from, pageKey: record.pageKey, outcome: 'healed', healedTo: to, run, at: at() }];
  };
  const count = await page.locator(record.selector).count().catch(() => 0);
  if (record.set) return count > 0 ? verified() : checkSet(page, record, options, result, healed);
  // Where the page is in the test's state (its storage put back), a selector of one element that
  // now finds several fails the test's strict-mode actions: it is healed among them, as in a test.
  if (count === 1 || (count > 1 && !restored)) return verified();
  const rejected = (selector: string) => record.rejected?.some((r) => r.selector === selector) ?? false;
  // A chain heals at its first broken link, as in a test (src/browser/chainHeal.ts); else as one element.
  if (count === 0 && chainPrefixes(record.selector).length > 0) {
    const fingerprint = (selector: string) => known.fingerprint(record.pageKey, selector);
    const chain = await healChain(page, record.selector, { fingerprint, rankOptions: options.rankOptions ?? {}, testIdAttribute: options.testIdAttribute ?? 'data-testid' }).catch(() => undefined);
    if (chain?.rank && !rejected(selectorOf(chain.locator))) return healed({ selector: selectorOf(chain.locator), code: chain.code }, chain.rank.confidence);
  }
  const { rank, element, candidate } =
    count > 1 ? await disambiguate(page.locator(record.selector), record.fingerprint!, options.rankOptions ?? {}) : await relocate(page, record.fingerprint!, options.rankOptions ?? {});
  if (rank.decision !== 'heal' || !element) {
    result.missing.push({ pageKey: record.pageKey, code: record.code, why: count > 1 ? 'ambiguous' : 'not found' });
    return [];
  }
  try {
    // Precision first, and more so here than in a test: a page opened without the test's steps may
    // be another state of itself ("No recent order" where the test sees "Thank you for your
    // order"). Unless the page's storage was put back as it was when the element was captured,
    // only an element whose content is unchanged is healed before the suite; one whose text
    // changed too is left to the test, where the page is in the state it checks.
    if (!restored && candidate && !sameContent(record.fingerprint!, candidate)) {
      result.missing.push({ pageKey: record.pageKey, code: record.code, why: 'content changed' });
      return [];
    }
    const choice = await chooseLocator(page, element, { ...(candidate ? { fingerprint: candidate } : {}), ...(options.testIdAttribute ? { testIdAttribute: options.testIdAttribute } : {}) });
    // A locator a review rejected for this selector here is no heal (`medic review`).
    if (!choice.ok || rejected(selectorOf(choice.locator))) {
      result.missing.push({ pageKey: record.pageKey, code: record.code, why: 'no locator' });
      return [];
    }
    return healed({ selector: selectorOf(choice.locator), code: choice.code }, rank.confidence);
  } finally {
    await element.dispose().catch(() => undefined);
  }
}

/** A list that finds nothing, healed as a set from its sampled members (src/browser/setHeal.ts), as in a test. */
async function checkSet(page: Page, record: SelectorRecord, options: PreflightOptions, result: PreflightResult, healed: (to: LocatorRef, confidence: number) => SelectorObservation[]): Promise<SelectorObservation[]> {
  const members = [...record.set!.members, ...(record.fingerprint ? [record.fingerprint] : [])];
  const choice = await healSet(page, members, { ...options.rankOptions, ...(options.testIdAttribute ? { testIdAttribute: options.testIdAttribute } : {}) }).catch(() => undefined);
  const to = choice?.ok ? selectorOf(choice.locator) : undefined;
  if (!choice?.ok || !to || record.rejected?.some((r) => r.selector === to)) {
    result.missing.push({ pageKey: record.pageKey, code: record.code, why: 'not found' });
    return [];
  }
  return healed({ selector: to, code: `page.${choice.locator.toString()}` }, choice.relocation.confidence);
}

/** Whether a selector is a chain of locators (`a >> b`, a `filter`), as the chain heal reads it. */
const chained = (selector: string) => selectorLinks(selector).length > 1;

/**
 * Which catalog records pre-flight checks, stale ones first: `always` every record; `auto`
 * the stale ones (not verified working for `staleDays`, or losing confidence), and only when
 * some test's risk reached `riskAt`; `off` none.
 * @example const records = preflightRecords(await store.listSelectors({ project }), report.tests[0]?.score ?? 0, 'auto', 0.5, new Date());
 */
export function preflightRecords(records: readonly SelectorRecord[], highestRisk: number, mode: 'auto' | 'always' | 'off', riskAt: number, now: Date, staleDays = 14): SelectorRecord[] {
  if (mode === 'off' || (mode === 'auto' && highestRisk < riskAt)) return [];
  const stale = (r: SelectorRecord) => isStale(r, now, staleDays * 86_400_000);
  if (mode === 'auto') return records.filter(stale);
  return [...records.filter(stale), ...records.filter((r) => !stale(r))];
}
