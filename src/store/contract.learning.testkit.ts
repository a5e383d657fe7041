// The adapter contract for the selector catalog and heal events (run by storeContract).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMedicStoreError } from '../errors.js';
import { mergeSelector, type SelectorObservation, type SelectorRecord } from '../learning/catalog.js';
import type { HealEvent } from '../learning/heals.js';
import type { KnowledgeStore } from './KnowledgeStore.js';
import { makeRun } from './contract.testkit.js';

const SAVE = { selector: 'internal:role=button[name="Save"i]', code: "getByRole('button', { name: 'Save' })" };
const SAVE_ID = { selector: 'internal:testid=[data-testid="save"s]', code: "getByTestId('save')" };
const SAVE_TEXT = { selector: 'internal:text="Save"i', code: "getByText('Save')" };

export function makeObservation(overrides: Partial<SelectorObservation> = {}): SelectorObservation {
  return {
    ...SAVE,
    pageKey: '/orders/:id',
    outcome: 'worked',
    fingerprint: { tag: 'button', text: 'Save', role: 'button', accessibleName: 'Save' },
    at: '2026-11-24T10:00:01.000Z',
    ...overrides,
  };
}

export function makeHeal(overrides: Partial<HealEvent> = {}): HealEvent {
  return {
    id: 'id-1#0#1',
    pageKey: '/orders/:id',
    step: 'click',
    from: SAVE,
    to: SAVE_ID,
    strategy: 'relocate',
    category: 'selector_missing',
    outcome: 'healed',
    confidence: 0.92,
    margin: 0.4,
    explanation: [{ attribute: 'testIds', similarity: 1, weight: 0.3, contribution: 0.3 }],
    reason: 'Same test id and text; the role changed.',
    screenshot: 'medic-heal-1.png',
    durationMs: 35,
    at: '2026-11-24T10:00:02.000Z',
    project: 'default',
    runId: 'run-1',
    testKey: 'chromium › a.spec.ts › suite › works',
    testId: 'id-1',
    retry: 0,
    review: 'pending',
    ...overrides,
  };
}

const at = (second: number) => `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`;

export function learningContract(name: string, open: () => Promise<KnowledgeStore>): void {
  describe(`KnowledgeStore contract (catalog and heals): ${name}`, () => {
    let store: KnowledgeStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('merges observations of a selector across calls: confidence rises on success, falls on failure', async () => {
      const observations = [
        makeObservation({ at: at(1) }),
        makeObservation({ at: at(2) }),
        makeObservation({ at: at(3), outcome: 'healed', fingerprint: undefined, healedTo: SAVE_ID }),
        makeObservation({ at: at(4), outcome: 'healed', fingerprint: undefined, healedTo: SAVE_TEXT }),
        makeObservation({ at: at(5), outcome: 'failed', fingerprint: undefined, healedTo: SAVE_ID }),
      ];
      const confidences: number[] = [];
      for (const observation of observations) {
        await store.recordSelectors('shop', [observation]);
        const records = await store.listSelectors();
        expect(records).toHaveLength(1);
        confidences.push(records[0]!.confidence);
      }
      expect(confidences[1]!).toBeGreaterThan(confidences[0]!);
      expect(confidences[2]!).toBeLessThan(confidences[1]!);
      expect(confidences[4]!).toBeLessThan(confidences[3]!);
      const [record] = await store.listSelectors();
      expect(record).toMatchObject({ project: 'shop', timesUsed: 2, failureCount: 3, lastWorking: at(2), lastSeen: at(5) });
      expect(record!.fingerprint).toEqual(makeObservation().fingerprint);
      expect(record!.alternatives).toEqual([
        { ...SAVE_ID, timesUsed: 2, lastUsed: at(5) },
        { ...SAVE_TEXT, timesUsed: 1, lastUsed: at(4) },
      ]);
      expect(record).toEqual(observations.reduce<SelectorRecord | undefined>((r, o) => mergeSelector(r, 'shop', o), undefined));
    });

    it('applies a selector batch with an id once, however often it is written', async () => {
      await store.recordSelectors('shop', [makeObservation({ at: at(1) })], { batchId: 'b-1' });
      await store.recordSelectors('shop', [makeObservation({ at: at(1) })], { batchId: 'b-1' });
      await store.recordSelectors('shop', [makeObservation({ at: at(2) })], { batchId: 'b-2' });
      await store.recordSelectors('shop', [makeObservation({ at: at(3) })]);
      await store.recordSelectors('shop', [makeObservation({ at: at(3) })]);
      expect((await store.listSelectors())[0]!.timesUsed).toBe(4);
      await expect(store.recordSelectors('shop', [makeObservation()], { batchId: '' })).rejects.toThrow();
    });

    it('keeps a list\'s set sample: the newest count and members first, records without one still read', async () => {
      const set = (count: number) => ({
        count,
        members: [{ tag: 'li', text: 'Lamp' }, { tag: 'li', text: 'Ring' }],
        shared: { tag: 'li', classes: ['card'], testIds: {}, path: "//*[@id='list']/li" },
      });
      await store.recordSelectors('shop', [makeObservation({ at: at(1), fingerprint: undefined, set: set(12) })]);
      await store.recordSelectors('shop', [makeObservation({ at: at(2), fingerprint: undefined, set: set(3) }), makeObservation({ at: at(3), fingerprint: undefined })]);
      await store.recordSelectors('shop', [makeObservation({ at: at(4), pageKey: '/cart' })]);
      const records = await store.listSelectors({ project: 'shop' });
      expect(records.find((r) => r.pageKey === '/orders/:id')!.set).toEqual(set(3)); // the same members: nothing added
      expect(records.find((r) => r.pageKey === '/cart')!.set).toBeUndefined();
    });

    it('merges a batch in order, repeats of one key included, into one record per (project, page, selector)', async () => {
      await store.recordSelectors('shop', [
        makeObservation({ at: at(1) }),
        makeObservation({ at: at(2), pageKey: '/cart' }),
        makeObservation({ at: at(3), outcome: 'failed' }),
        makeObservation({ at: at(4) }),
      ]);
      await store.recordSelectors('admin', [makeObservation({ at: at(5) })]);
      const records = await store.listSelectors();
      expect(records.map((r) => [r.project, r.pageKey, r.timesUsed, r.failureCount])).toEqual([
        ['admin', '/orders/:id', 1, 0],
        ['shop', '/orders/:id', 2, 1],
        ['shop', '/cart', 1, 0],
      ]);
    });

    it('lists selectors most recently seen first, filtered by project, page and selector, with a limit', async () => {
      await store.recordSelectors('shop', [
        makeObservation({ at: at(3) }),
        makeObservation({ ...SAVE_ID, at: at(5) }),
        makeObservation({ ...SAVE_TEXT, pageKey: '/cart', at: at(1) }),
      ]);
      await store.recordSelectors('admin', [makeObservation({ at: at(4) })]);
      const seen = (records: SelectorRecord[]) => records.map((r) => `${r.project} ${r.pageKey} ${r.code}`);
      expect(seen(await store.listSelectors())).toEqual([
        "shop /orders/:id getByTestId('save')",
        "admin /orders/:id getByRole('button', { name: 'Save' })",
        "shop /orders/:id getByRole('button', { name: 'Save' })",
        "shop /cart getByText('Save')",
      ]);
      expect(seen(await store.listSelectors({ project: 'shop', limit: 2 }))).toEqual([
        "shop /orders/:id getByTestId('save')",
        "shop /orders/:id getByRole('button', { name: 'Save' })",
      ]);
      expect(seen(await store.listSelectors({ pageKey: '/cart' }))).toEqual(["shop /cart getByText('Save')"]);
      expect(seen(await store.listSelectors({ project: 'shop', pageKey: '/orders/:id', selector: SAVE.selector }))).toEqual([
        "shop /orders/:id getByRole('button', { name: 'Save' })",
      ]);
      expect(await store.listSelectors({ project: 'nobody' })).toEqual([]);
      // a newer observation of an old record moves it to the front
      await store.recordSelectors('shop', [makeObservation({ ...SAVE_TEXT, pageKey: '/cart', at: at(9) })]);
      expect(seen(await store.listSelectors({ limit: 1 }))).toEqual(["shop /cart getByText('Save')"]);
    });

    it('returns copies of selector records', async () => {
      await store.recordSelectors('shop', [makeObservation()]);
      const [record] = await store.listSelectors();
      record!.timesUsed = 99;
      record!.fingerprint!.tag = 'div';
      expect((await store.listSelectors())[0]).toMatchObject({ timesUsed: 1, fingerprint: { tag: 'button' } });
    });

    it('puts whole selector records as given, replacing by (project, page, selector); observations merge onto them', async () => {
      const a = mergeSelector(undefined, 'shop', makeObservation({ at: at(1) }));
      const b = mergeSelector(undefined, 'shop', makeObservation({ ...SAVE_ID, at: at(2) }));
      const c = mergeSelector(undefined, 'shop', makeObservation({ ...SAVE_TEXT, at: at(1) }));
      const admin = { ...a, project: 'admin' };
      await store.putSelectors([a, b, c, admin]);
      expect(await store.listSelectors({ project: 'shop' })).toEqual([b, c, a]); // of equal lastSeen, the one put last first
      expect(await store.listSelectors({ project: 'admin' })).toEqual([admin]);
      // Replaced, not merged; a repeat in one batch: the last wins.
      const replaced = { ...a, confidence: 0.9, timesUsed: 7, lastSeen: at(3) };
      await store.putSelectors([{ ...a, timesUsed: 99 }, replaced]);
      expect(await store.listSelectors({ project: 'shop' })).toEqual([replaced, b, c]);
      expect(await store.listSelectors()).toHaveLength(4);
      await store.recordSelectors('shop', [makeObservation({ at: at(4) })]);
      expect(await store.listSelectors({ project: 'shop', selector: SAVE.selector })).toEqual([mergeSelector(replaced, 'shop', makeObservation({ at: at(4) }))]);
    });

    it('refuses a batch of selector records with an invalid one, and writes none of it', async () => {
      const a = mergeSelector(undefined, 'shop', makeObservation());
      await expect(store.putSelectors([a, { ...a, selector: SAVE_ID.selector, confidence: 2 }])).rejects.toThrow(/confidence/);
      await expect(store.putSelectors([{ ...a, project: '' }])).rejects.toThrow(/project/);
      await expect(store.putSelectors([{ ...a, lastSeen: 'yesterday' }])).rejects.toThrow(/lastSeen/);
      expect(await store.listSelectors()).toEqual([]);
      await store.putSelectors([]);
      expect(await store.listSelectors()).toEqual([]);
    });

    it('refuses an invalid observation or project, and writes nothing of that batch', async () => {
      await expect(store.recordSelectors('shop', [makeObservation(), makeObservation({ at: 'yesterday' })])).rejects.toThrow(/at/);
      await expect(store.recordSelectors('shop', [{ ...makeObservation(), outcome: 'maybe' as 'worked' }])).rejects.toThrow(/outcome/);
      await expect(store.recordSelectors('', [makeObservation()])).rejects.toThrow(/project/);
      expect(await store.listSelectors()).toEqual([]);
      await store.recordSelectors('shop', []);
      expect(await store.listSelectors()).toEqual([]);
    });

    it('records heals, keeping every field, and replaces a repeated (run, id)', async () => {
      await store.startRun(makeRun());
      await store.startRun(makeRun({ id: 'run-2' }));
      const abstained = makeHeal({ id: 'id-1#0#2', to: undefined, outcome: 'abstained', screenshot: undefined });
      await store.recordHeals([makeHeal(), abstained]);
      await store.recordHeals([makeHeal({ runId: 'run-2' })]); // the same id in another run is another heal
      expect(await store.listHeals({ runId: 'run-1' })).toHaveLength(2);
      await store.recordHeals([makeHeal({ review: 'accepted', confidence: 0.8 })]);
      const heals = await store.listHeals({ runId: 'run-1' });
      expect(heals).toHaveLength(2);
      expect(heals.find((h) => h.id === 'id-1#0#1')).toEqual(makeHeal({ review: 'accepted', confidence: 0.8 }));
      expect(heals.find((h) => h.id === 'id-1#0#2')).toEqual(abstained); // toEqual: an absent key equals an undefined one
      expect(await store.listHeals()).toHaveLength(3);
    });

    it('starts a heal pending when no review is given', async () => {
      await store.startRun(makeRun());
      const { review: _review, ...withoutReview } = makeHeal();
      await store.recordHeals([withoutReview]);
      expect((await store.listHeals())[0]!.review).toBe('pending');
    });

    it('lists heals newest first, filtered by project, run, test and review, with a limit', async () => {
      await store.startRun(makeRun());
      await store.startRun(makeRun({ id: 'run-2', project: 'other' }));
      await store.recordHeals([
        makeHeal({ id: 'a', at: at(3) }),
        makeHeal({ id: 'b', at: at(1), testKey: 'other test' }),
        makeHeal({ id: 'c', at: at(5), runId: 'run-2', project: 'other', review: 'rejected' }),
        makeHeal({ id: 'd', at: at(4), review: 'accepted' }),
      ]);
      const ids = (heals: HealEvent[]) => heals.map((h) => h.id);
      expect(ids(await store.listHeals())).toEqual(['c', 'd', 'a', 'b']);
      expect(ids(await store.listHeals({ project: 'default' }))).toEqual(['d', 'a', 'b']);
      expect(ids(await store.listHeals({ runId: 'run-2' }))).toEqual(['c']);
      expect(ids(await store.listHeals({ testKey: makeHeal().testKey }))).toEqual(['c', 'd', 'a']);
      expect(ids(await store.listHeals({ review: 'pending' }))).toEqual(['a', 'b']);
      expect(ids(await store.listHeals({ project: 'default', review: 'accepted' }))).toEqual(['d']);
      expect(ids(await store.listHeals({ limit: 2 }))).toEqual(['c', 'd']);
      expect(ids(await store.listHeals({ project: 'default', limit: 1 }))).toEqual(['d']);
    });

    it('refuses a heal of an unknown run, and the whole batch with it', async () => {
      await store.startRun(makeRun());
      const error = await store.recordHeals([makeHeal(), makeHeal({ id: 'x', runId: 'nope' })]).catch((e: unknown) => e);
      expect(isMedicStoreError(error)).toBe(true);
      expect((error as Error).message).toMatch(/No run with id "nope"/);
      expect(await store.listHeals()).toEqual([]);
    });

    it('refuses an invalid heal, and the whole batch with it', async () => {
      await store.startRun(makeRun());
      await expect(store.recordHeals([makeHeal(), makeHeal({ id: 'x', confidence: 2 })])).rejects.toThrow(/confidence/);
      await expect(store.recordHeals([{ ...makeHeal(), review: 'later' as 'pending' }])).rejects.toThrow(/review/);
      await expect(store.recordHeals([{ ...makeHeal(), strategy: 'guess' as 'relocate' }])).rejects.toThrow(/strategy/);
      expect(await store.listHeals()).toEqual([]);
    });

    it('refuses selector and heal queries it cannot answer', async () => {
      await expect(store.listSelectors({ limit: 0 })).rejects.toThrow(/limit/);
      await expect(store.listSelectors({ page: '/cart' } as never)).rejects.toThrow(/page/);
      await expect(store.listHeals({ limit: 2.5 })).rejects.toThrow(/limit/);
      await expect(store.listHeals({ review: 'later' } as never)).rejects.toThrow(/review/);
      await expect(store.listHeals({ run: 'run-1' } as never)).rejects.toThrow(/run/);
    });
  });
}
