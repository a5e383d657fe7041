import { z } from 'zod';
import { fingerprintSchema } from '../healing/fingerprint.js';
import { joinSamples, setSampleSchema } from '../healing/setFingerprint.js';

/**
 * The selector catalog: for each (project, page, selector) what the element looked like when
 * the locator last worked, how much to trust the selector, and the locators it healed to.
 * Workers observe; the reporter merges observations into records (`mergeSelector`).
 */

const at = z.iso.datetime();

/** A locator by its Playwright selector (the key) and the code a user writes for it. */
export const locatorRefSchema = z.object({
  /** Playwright's selector string (`internal:role=button[name="Save"i]`): the catalog key. */
  selector: z.string().min(1),
  /** What a user writes: `getByRole('button', { name: 'Save' })`. */
  code: z.string(),
});
export type LocatorRef = z.infer<typeof locatorRefSchema>;

/** The most characters of storage (keys and values, localStorage and sessionStorage together) a page state keeps. */
export const MAX_STORAGE_CHARS = 16_384;

/**
 * Where the page was when an element's fingerprint was captured, so pre-flight can open it in
 * that state (`risk.preflightState`): its address without the origin (path, query, hash) and,
 * with `'storage'`, the page's localStorage and sessionStorage.
 */
export const pageStateSchema = z.object({
  url: z.string().startsWith('/').max(2_000),
  storage: z.object({ local: z.record(z.string(), z.string()), session: z.record(z.string(), z.string()) }).optional(),
});
export type PageState = z.infer<typeof pageStateSchema>;

/** What one worker saw of one selector on one page in one test. */
export const selectorObservationSchema = locatorRefSchema.extend({
  /** The page the locator was used on: origin-free path with ids generalised (`pageKey`). */
  pageKey: z.string(),
  /**
   * `worked`: it resolved; `failed`: it matched nothing (or too much); `healed`: failed, then
   * `healedTo` worked; `slow`: a step on it worked in `waitedMs` (its time only: the step's use is
   * its own observation, so a slow step is not counted twice); `reviewed`: a human decided on a heal
   * of it (`review`, from `medic review`; never sent by a worker).
   */
  outcome: z.enum(['worked', 'failed', 'healed', 'slow', 'reviewed']),
  /** The element's fingerprint when it resolved to one element. */
  fingerprint: fingerprintSchema.optional(),
  /** With a fingerprint or a list sample: the page's state when it was captured. */
  state: pageStateSchema.optional(),
  /** A sample of the elements when it resolved to many (a list). */
  set: setSampleSchema.optional(),
  healedTo: locatorRefSchema.optional(),
  /** How long a step that worked took, when it was slow (at least SLOW_STEP_MS). */
  waitedMs: z.number().nonnegative().optional(),
  /** The run it belongs to (its id, or its shards' run group; set by the reporter): a record counts each run once. */
  run: z.string().min(1).max(200).optional(),
  /** With outcome `reviewed`: a heal of it to `to` was accepted (its known fix from now on) or rejected (never used again here). */
  review: z.object({ decision: z.enum(['accepted', 'rejected']), to: locatorRefSchema }).optional(),
  at,
});
export type SelectorObservation = z.infer<typeof selectorObservationSchema>;

export const alternativeSchema = locatorRefSchema.extend({
  timesUsed: z.number().int().nonnegative(),
  lastUsed: at,
  /** When a human accepted a heal to it (`medic review`): accepted alternatives come first, the latest first. */
  acceptedAt: at.optional(),
});
export type Alternative = z.infer<typeof alternativeSchema>;

/** The catalog's record of one selector on one page. */
export const selectorRecordSchema = locatorRefSchema.extend({
  project: z.string().min(1),
  pageKey: z.string(),
  /** Latest fingerprint of the element, null until the selector has resolved once. */
  fingerprint: fingerprintSchema.nullable(),
  /** The page's state at the latest capture of its fingerprint or list sample (absent: not recorded, or a record older than this field). */
  state: pageStateSchema.optional(),
  /** Latest sample of the elements when it resolved to many; absent in records older than set heals. */
  set: setSampleSchema.optional(),
  /** 0–1: rises each time it works, falls each time it fails. */
  confidence: z.number().min(0).max(1),
  timesUsed: z.number().int().nonnegative(),
  failureCount: z.number().int().nonnegative(),
  lastWorking: at.nullable(),
  lastSeen: at,
  /** Locators it was healed to, most used first. */
  alternatives: z.array(alternativeSchema),
  /** The longest a step on it took when it worked slowly (absent: never slow). */
  slowestMs: z.number().nonnegative().optional(),
  /** When its fingerprint or list sample was last captured (absent: never, or a record older than this field). */
  capturedAt: at.optional(),
  /**
   * What the latest runs (or run groups) have told it so far, newest first (at most RUNS_KEPT),
   * each with the confidence before it: the observations of one run, from any worker or shard,
   * count once (see mergeValidSelector).
   */
  runs: z.array(z.object({ key: z.string().min(1), before: z.number().min(0).max(1), worked: z.boolean(), failed: z.boolean() })).optional(),
  /** Locators a human rejected as heals of it here (`medic review`), newest first: never its known fix, never healed to again. */
  rejected: z.array(locatorRefSchema.extend({ at })).optional(),
});
export type SelectorRecord = z.infer<typeof selectorRecordSchema>;

/** The catalog key of a record or an observation. */
export function selectorKey(project: string, pageKey: string, selector: string): string {
  return `${project}\u0000${pageKey}\u0000${selector}`;
}

const START_CONFIDENCE = 0.5;
/** Share of the remaining doubt a success removes, and share of the trust a failure removes. */
const RISE = 0.25;
const FALL = 0.5;

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The record after one more observation (pure). Confidence starts at 0.5, rises by a quarter
 * of the remaining gap on success and halves on failure, so one failure weighs two successes.
 * Observations of one run (`run`: its id or run group) count once: a run in which the selector
 * worked is one use and one rise, one in which it failed (or was healed) one failure and one
 * fall, one with both a rise then a fall, whichever worker or shard told it first; so the
 * record does not depend on how the run was split into workers and shards.
 * @example mergeSelector(undefined, 'shop', observation).timesUsed // 1
 */
export function mergeSelector(previous: SelectorRecord | undefined, project: string, observation: SelectorObservation): SelectorRecord {
  return mergeValidSelector(previous, project, selectorObservationSchema.parse(observation));
}

/**
 * `mergeSelector` for an observation validated already (a parsed batch, a worker's own capture):
 * validating a fingerprint again is most of a merge's time.
 * @example mergeValidSelector(undefined, 'shop', selectorObservationSchema.parse(observation))
 */
export function mergeValidSelector(previous: SelectorRecord | undefined, project: string, o: SelectorObservation): SelectorRecord {
  const base: SelectorRecord = previous ?? {
    project,
    pageKey: o.pageKey,
    selector: o.selector,
    code: o.code,
    fingerprint: null,
    confidence: START_CONFIDENCE,
    timesUsed: 0,
    failureCount: 0,
    lastWorking: null,
    lastSeen: o.at,
    alternatives: [],
  };
  if (o.outcome === 'reviewed') return o.review ? reviewed(base, o.review, o.at) : base;
  const worked = o.outcome === 'worked';
  const slow = o.outcome === 'slow';
  const counted = countRun(base, o.run, worked, !worked && !slow);
  let alternatives = base.alternatives;
  // A heal to a rejected locator (a worker that started before the review) counts as the failure it is, never as a fix.
  if (o.healedTo && !base.rejected?.some((r) => r.selector === o.healedTo!.selector)) {
    const found = alternatives.find((a) => a.selector === o.healedTo!.selector);
    const next = found
      ? { ...found, code: o.healedTo.code, timesUsed: found.timesUsed + 1, lastUsed: later(found.lastUsed, o.at) }
      : { ...o.healedTo, timesUsed: 1, lastUsed: o.at };
    alternatives = [...alternatives.filter((a) => a !== found), next].sort(preferred);
  }
  // A newer fingerprint replaces an older one; an older observation arriving late does not.
  const newer = previous === undefined || o.at >= base.lastSeen;
  // A list's samples add up (newer members first): a filtered list shows other members in other tests.
  const set = o.set && base.set ? (newer ? joinSamples(o.set, base.set) : joinSamples(base.set, o.set)) : (o.set ?? base.set);
  const captured = o.fingerprint || o.set ? (base.capturedAt ? later(base.capturedAt, o.at) : o.at) : base.capturedAt;
  const replaced = o.fingerprint !== undefined && (newer || base.fingerprint === null);
  // The page state is the latest capture's (fingerprint or list sample), whatever came in between.
  const { state: baseState, ...unstated } = base;
  const state = (o.fingerprint || o.set) && (!base.capturedAt || o.at >= base.capturedAt) ? o.state : baseState;
  return {
    ...unstated,
    ...(set ? { set } : {}),
    code: newer ? o.code : base.code,
    fingerprint: replaced ? o.fingerprint! : base.fingerprint,
    ...(state ? { state } : {}),
    confidence: counted.confidence,
    timesUsed: counted.timesUsed,
    failureCount: counted.failureCount,
    ...(counted.runs ? { runs: counted.runs } : {}),
    lastWorking: worked || slow ? (base.lastWorking ? later(base.lastWorking, o.at) : o.at) : base.lastWorking,
    lastSeen: later(base.lastSeen, o.at),
    alternatives,
    ...(o.waitedMs !== undefined || base.slowestMs !== undefined ? { slowestMs: Math.max(base.slowestMs ?? 0, o.waitedMs ?? 0) } : {}),
    ...(captured ? { capturedAt: captured } : {}),
  };
}

const rise = (c: number) => c + (1 - c) * RISE;
const fall = (c: number) => c * (1 - FALL);

/** Accepted alternatives first (the latest accepted first), then the most used, then the latest used. */
function preferred(a: Alternative, b: Alternative): number {
  const [x, y] = [a.acceptedAt ?? '', b.acceptedAt ?? ''];
  if (x !== y) return x < y ? 1 : -1;
  return b.timesUsed - a.timesUsed || (a.lastUsed < b.lastUsed ? 1 : a.lastUsed > b.lastUsed ? -1 : 0);
}

/** How many rejected locators a record remembers. */
const REJECTED_KEPT = 20;

/**
 * The record after a human's decision on a heal of it to `review.to` (`medic review`): accepted,
 * `to` becomes its first alternative (its known fix) and the record's confidence rises once (a
 * second acceptance of the same fix is no new verdict); rejected, `to` leaves the alternatives
 * and joins `rejected`. Counts, runs and sightings stay as they are: a review is not a use.
 */
function reviewed(base: SelectorRecord, review: NonNullable<SelectorObservation['review']>, at: string): SelectorRecord {
  const { to } = review;
  const others = base.alternatives.filter((a) => a.selector !== to.selector);
  const still = (base.rejected ?? []).filter((r) => r.selector !== to.selector);
  const { rejected: _rejected, ...rest } = base;
  if (review.decision === 'rejected') return { ...rest, alternatives: others, rejected: [{ ...to, at }, ...still].slice(0, REJECTED_KEPT) };
  const found = base.alternatives.find((a) => a.selector === to.selector);
  const accepted: Alternative = { timesUsed: 0, lastUsed: at, ...found, selector: to.selector, code: to.code, acceptedAt: found?.acceptedAt ? later(found.acceptedAt, at) : at };
  return {
    ...rest,
    confidence: found?.acceptedAt ? base.confidence : rise(base.confidence),
    alternatives: [accepted, ...others].sort(preferred),
    ...(still.length ? { rejected: still } : {}),
  };
}

/** How many recent runs a record remembers (concurrent builds interleave their writes). */
const RUNS_KEPT = 8;

/**
 * Confidence and counts after an observation that worked or failed (neither: only its time, as
 * `slow`), counting each run once: the latest run's confidence is worked out again from before
 * it (a rise, a fall, or a rise then a fall), so it does not depend on which shard told it
 * first; a run older than the latest (a concurrent build) adds what it had not told yet.
 */
function countRun(base: SelectorRecord, run: string | undefined, worked: boolean, failed: boolean): Pick<SelectorRecord, 'confidence' | 'timesUsed' | 'failureCount' | 'runs'> {
  if (!worked && !failed) return base;
  const step = (c: number, w: boolean, f: boolean) => (f ? fall(w ? rise(c) : c) : w ? rise(c) : c);
  if (run === undefined) return { confidence: step(base.confidence, worked, failed), timesUsed: base.timesUsed + (worked ? 1 : 0), failureCount: base.failureCount + (failed ? 1 : 0), runs: base.runs };
  const runs = base.runs ?? [];
  const at = runs.findIndex((r) => r.key === run);
  const seen = at >= 0 ? runs[at]! : undefined;
  const newWorked = worked && !seen?.worked;
  const newFailed = failed && !seen?.failed;
  const counts = { timesUsed: base.timesUsed + (newWorked ? 1 : 0), failureCount: base.failureCount + (newFailed ? 1 : 0) };
  if (!seen) {
    const entry = { key: run, before: base.confidence, worked, failed };
    return { ...counts, confidence: step(base.confidence, worked, failed), runs: [entry, ...runs].slice(0, RUNS_KEPT) };
  }
  const entry = { ...seen, worked: seen.worked || worked, failed: seen.failed || failed };
  const next = runs.map((r, i) => (i === at ? entry : r));
  if (at === 0) return { ...counts, confidence: step(entry.before, entry.worked, entry.failed), runs: next };
  return { ...counts, confidence: step(base.confidence, newWorked, newFailed), runs: next };
}

/**
 * The page part of a catalog key: the URL's path without origin, query or hash, with
 * number-like and long hex segments generalised, so `/orders/42` and `/orders/43` share a key.
 * @example pageKey('http://localhost:3000/orders/42?tab=1') // '/orders/:id'
 */
export function pageKey(url: string): string {
  let path: string;
  try {
    const parsed = new URL(url);
    path = parsed.protocol === 'about:' || parsed.protocol === 'data:' ? parsed.protocol : parsed.pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? '';
  }
  return path
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) || /^[0-9a-f]{16,}$/i.test(segment) || /^[0-9a-f-]{32,36}$/i.test(segment) ? ':id' : segment))
    .join('/');
}
