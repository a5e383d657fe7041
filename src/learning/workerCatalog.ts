import { kinship } from '../healing/family.js';
import type { Fingerprint } from '../healing/fingerprint.js';
import type { SetSample } from '../healing/setFingerprint.js';
import { mergeValidSelector, selectorKey, type LocatorRef, type SelectorObservation, type SelectorRecord } from './catalog.js';

/**
 * A worker's view of the selector catalog: the store's snapshot taken when the worker started,
 * plus everything this worker has seen since (so a heal in one test helps the next). Pure.
 */
export class WorkerCatalog {
  private readonly records = new Map<string, SelectorRecord>();
  private readonly seen = new Set<string>();

  constructor(
    readonly project: string,
    snapshot: readonly SelectorRecord[] = [],
  ) {
    for (const record of snapshot) if (record.project === project) this.records.set(selectorKey(project, record.pageKey, record.selector), record);
  }

  get size(): number {
    return this.records.size;
  }

  record(pageKey: string, selector: string): SelectorRecord | undefined {
    return this.records.get(selectorKey(this.project, pageKey, selector));
  }

  /** The last fingerprint of the element this selector found on this page. */
  fingerprint(pageKey: string, selector: string): Fingerprint | undefined {
    return this.record(pageKey, selector)?.fingerprint ?? undefined;
  }

  /** The last sample of the elements this selector found on this page when it found many. */
  set(pageKey: string, selector: string): SetSample | undefined {
    return this.record(pageKey, selector)?.set;
  }

  /** The locator a human accepted for this selector on this page, else the one it was healed to most often, if it ever was; never a rejected one. */
  knownFix(pageKey: string, selector: string): LocatorRef | undefined {
    const record = this.record(pageKey, selector);
    return record ? fixOf(record) : undefined;
  }

  /** Whether a human rejected `to` as a heal of this selector on this page (`medic review`): it is never healed to again. */
  rejected(pageKey: string, selector: string, to: string): boolean {
    return this.record(pageKey, selector)?.rejected?.some((r) => r.selector === to) === true;
  }

  /**
   * The selectors of this page whose element was the direct parent or child of `fingerprint`'s
   * (by their stored XPaths) and that the catalog knows a fix for here: a link's badge, a
   * label's input. `relation` is what that element is to this one.
   */
  kinWithFixes(pageKey: string, fingerprint: Fingerprint): Kin[] {
    const kin: Kin[] = [];
    for (const record of this.records.values()) {
      if (record.pageKey !== pageKey || !record.fingerprint) continue;
      const fix = fixOf(record);
      const relation = fix && kinship(fingerprint, record.fingerprint);
      if (fix && relation) kin.push({ from: { selector: record.selector, code: record.code }, fix, relation });
    }
    return kin;
  }

  /** The longest a step on this selector took here when it worked slowly; undefined: never slow. */
  slowestMs(pageKey: string, selector: string): number | undefined {
    return this.record(pageKey, selector)?.slowestMs;
  }

  /**
   * Whether the catalog's fingerprint (or list sample) of this selector here was captured at most
   * `maxAgeMs` before `now`: no need to capture it again.
   */
  fresh(pageKey: string, selector: string, now: Date, maxAgeMs: number): boolean {
    const record = this.record(pageKey, selector);
    if (!record?.capturedAt || (record.fingerprint === null && !record.set)) return false;
    const age = now.getTime() - Date.parse(record.capturedAt);
    return age >= 0 && age <= maxAgeMs;
  }

  /** True the first time a (page, selector) is asked about in this worker: capture it then. */
  firstUse(pageKey: string, selector: string): boolean {
    const key = selectorKey(this.project, pageKey, selector);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  observe(observation: SelectorObservation): void {
    const key = selectorKey(this.project, observation.pageKey, observation.selector);
    this.records.set(key, mergeValidSelector(this.records.get(key), this.project, observation));
  }
}

/** The record's first alternative (accepted ones come first, then the most used) that was not rejected. */
function fixOf(record: SelectorRecord): LocatorRef | undefined {
  const best = record.alternatives.find((a) => !record.rejected?.some((r) => r.selector === a.selector));
  return best ? { selector: best.selector, code: best.code } : undefined;
}

/** A related selector of the same page with a known fix (`WorkerCatalog.kinWithFixes`). */
export type Kin = { from: LocatorRef; fix: LocatorRef; relation: 'parent' | 'child' };
