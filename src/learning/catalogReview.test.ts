// The selector catalog's side of `medic review`: accepted and rejected heals merged into records.
import { describe, expect, it } from 'vitest';
import { mergeSelector, selectorRecordSchema, type LocatorRef, type SelectorObservation, type SelectorRecord } from './catalog.js';
import { WorkerCatalog } from './workerCatalog.js';
import { parseLearningMessage } from './messages.js';

const SAVE = { selector: '#save', code: "locator('#save')" };
const BY_ROLE = { selector: 'internal:role=button[name="Save"i]', code: "getByRole('button', { name: 'Save' })" };
const BY_TEXT = { selector: 'internal:text="Save"i', code: "getByText('Save')" };
const at = (second: number) => `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`;

const observe = (overrides: Partial<SelectorObservation> = {}): SelectorObservation => ({ ...SAVE, pageKey: '/cart', outcome: 'worked', fingerprint: { tag: 'button', text: 'Save' }, at: at(1), ...overrides });
const healed = (to: LocatorRef, second: number) => observe({ outcome: 'healed', fingerprint: undefined, healedTo: to, at: at(second) });
const review = (decision: 'accepted' | 'rejected', to: LocatorRef, second: number) => observe({ outcome: 'reviewed', fingerprint: undefined, review: { decision, to }, at: at(second) });
const mergeAll = (observations: SelectorObservation[], previous?: SelectorRecord) =>
  observations.reduce<SelectorRecord | undefined>((record, o) => mergeSelector(record, 'shop', o), previous)!;

describe('mergeSelector with review decisions', () => {
  it('puts an accepted locator first, ahead of one used more, and raises the confidence once', () => {
    const before = mergeAll([observe(), healed(BY_TEXT, 2), healed(BY_TEXT, 3), healed(BY_ROLE, 4)]);
    expect(before.alternatives.map((a) => a.code)).toEqual([BY_TEXT.code, BY_ROLE.code]);
    const accepted = mergeAll([review('accepted', BY_ROLE, 5)], before);
    expect(accepted.alternatives.map((a) => [a.code, a.timesUsed, a.acceptedAt])).toEqual([
      [BY_ROLE.code, 1, at(5)],
      [BY_TEXT.code, 2, undefined],
    ]);
    expect(accepted.confidence).toBeCloseTo(before.confidence + (1 - before.confidence) * 0.25);
    // A review is not a use: counts, runs and sightings stay.
    expect(accepted).toMatchObject({ timesUsed: before.timesUsed, failureCount: before.failureCount, lastSeen: before.lastSeen, lastWorking: before.lastWorking });
    expect(mergeAll([review('accepted', BY_ROLE, 6)], accepted).confidence).toBe(accepted.confidence);
    // Later heals to the other locator do not push the accepted one down.
    const later = mergeAll([healed(BY_TEXT, 7), healed(BY_TEXT, 8)], accepted);
    expect(later.alternatives[0]!.code).toBe(BY_ROLE.code);
    expect(selectorRecordSchema.parse(later)).toEqual(later);
  });

  it('accepts a locator it was never healed to (a suggestion) as its known fix', () => {
    const record = mergeAll([observe(), review('accepted', BY_ROLE, 2)]);
    expect(record.alternatives).toEqual([{ ...BY_ROLE, timesUsed: 0, lastUsed: at(2), acceptedAt: at(2) }]);
  });

  it('forgets a rejected locator as an alternative and remembers it, so later heals to it add nothing', () => {
    const rejected = mergeAll([observe(), healed(BY_ROLE, 2), healed(BY_TEXT, 3), review('rejected', BY_ROLE, 4)]);
    expect(rejected.alternatives.map((a) => a.code)).toEqual([BY_TEXT.code]);
    expect(rejected.rejected).toEqual([{ ...BY_ROLE, at: at(4) }]);
    const late = mergeAll([healed(BY_ROLE, 5), observe({ at: at(6) })], rejected);
    expect(late.alternatives.map((a) => a.code)).toEqual([BY_TEXT.code]);
    expect(late.rejected).toEqual(rejected.rejected);
    expect(late.failureCount).toBe(rejected.failureCount + 1); // the late heal still says the selector failed
    expect(selectorRecordSchema.parse(late)).toEqual(late);
  });

  it('changes its mind: accepting a rejected locator takes it off the rejected list', () => {
    const record = mergeAll([observe(), healed(BY_ROLE, 2), review('rejected', BY_ROLE, 3), review('accepted', BY_ROLE, 4)]);
    expect(record.rejected).toBeUndefined();
    expect(record.alternatives.map((a) => [a.code, a.acceptedAt])).toEqual([[BY_ROLE.code, at(4)]]);
    const again = mergeAll([review('rejected', BY_ROLE, 5)], record);
    expect(again.alternatives).toEqual([]);
    expect(again.rejected?.map((r) => r.code)).toEqual([BY_ROLE.code]);
  });
});

describe('WorkerCatalog and reviews', () => {
  it('uses the accepted fix first, never a rejected one, and says which locators were rejected', () => {
    const record = mergeAll([observe(), healed(BY_TEXT, 2), healed(BY_TEXT, 3), healed(BY_ROLE, 4), review('accepted', BY_ROLE, 5)]);
    expect(new WorkerCatalog('shop', [record]).knownFix('/cart', SAVE.selector)).toEqual(BY_ROLE);
    const rejected = mergeAll([review('rejected', BY_ROLE, 6)], record);
    const catalog = new WorkerCatalog('shop', [rejected]);
    expect(catalog.knownFix('/cart', SAVE.selector)).toEqual(BY_TEXT);
    expect(catalog.rejected('/cart', SAVE.selector, BY_ROLE.selector)).toBe(true);
    expect(catalog.rejected('/cart', SAVE.selector, BY_TEXT.selector)).toBe(false);
    expect(catalog.rejected('/other', SAVE.selector, BY_ROLE.selector)).toBe(false);
    // A worker's own heal to a rejected locator (it never makes one: stepKit abstains) would not make it a fix.
    catalog.observe(healed(BY_ROLE, 7));
    expect(catalog.knownFix('/cart', SAVE.selector)).toEqual(BY_TEXT);
    // An older record written with the rejected locator still first is read without it.
    const stale: SelectorRecord = { ...rejected, alternatives: [{ ...BY_ROLE, timesUsed: 9, lastUsed: at(1) }, ...rejected.alternatives] };
    expect(new WorkerCatalog('shop', [stale]).knownFix('/cart', SAVE.selector)).toEqual(BY_TEXT);
  });
});

describe('worker messages', () => {
  it('refuse review decisions: only medic review makes them', () => {
    const message = { version: 1, selectors: [review('rejected', BY_ROLE, 1)], heals: [] };
    expect(() => parseLearningMessage(JSON.stringify(message))).toThrow(/a worker does not send review decisions/);
    expect(parseLearningMessage(JSON.stringify({ ...message, selectors: [healed(BY_ROLE, 1)] })).selectors).toHaveLength(1);
  });
});
