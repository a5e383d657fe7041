// The adapter contract for what `medic review` writes (run by storeContract): decisions merged
// into the selector catalog, heals re-recorded with their review, reviewed failure patterns.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SelectorRecord } from '../learning/catalog.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { KnowledgeStore } from './KnowledgeStore.js';
import { makeHeal, makeObservation } from './contract.learning.testkit.js';
import { makeRun } from './contract.testkit.js';

const SAVE_ID = { selector: 'internal:testid=[data-testid="save"s]', code: "getByTestId('save')" };
const SAVE_TEXT = { selector: 'internal:text="Save"i', code: "getByText('Save')" };
const at = (second: number) => `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`;

/** @example reviewContract('memory', async () => new MemoryStore()); */
export function reviewContract(name: string, open: () => Promise<KnowledgeStore>): void {
  describe(`KnowledgeStore contract (review decisions): ${name}`, () => {
    let store: KnowledgeStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('merges review decisions into a selector record and keeps them through later observations', async () => {
      const healed = (to: typeof SAVE_ID, second: number) => makeObservation({ outcome: 'healed', fingerprint: undefined, healedTo: to, at: at(second) });
      await store.recordSelectors('default', [makeObservation(), healed(SAVE_TEXT, 2), healed(SAVE_TEXT, 3), healed(SAVE_ID, 4)]);
      const review = (decision: 'accepted' | 'rejected', to: typeof SAVE_ID, second: number) =>
        makeObservation({ outcome: 'reviewed', fingerprint: undefined, review: { decision, to }, at: at(second) });
      await store.recordSelectors('default', [review('accepted', SAVE_ID, 5), review('rejected', SAVE_TEXT, 6)]);
      await store.recordSelectors('default', [healed(SAVE_TEXT, 7), makeObservation({ at: at(8) })]);
      const [record] = await store.listSelectors({ project: 'default' });
      expect(record!.alternatives).toEqual([{ ...SAVE_ID, timesUsed: 1, lastUsed: at(4), acceptedAt: at(5) }]);
      expect(record!.rejected).toEqual([{ ...SAVE_TEXT, at: at(6) }]);
      // Whole records keep them too (medic import).
      const copy: SelectorRecord = { ...record!, pageKey: '/copy' };
      await store.putSelectors([copy]);
      expect(await store.listSelectors({ pageKey: '/copy' })).toEqual([copy]);
    });

    it('re-records a heal with its decision: the review filter follows it', async () => {
      await store.startRun(makeRun());
      await store.recordHeals([makeHeal(), makeHeal({ id: 'id-1#0#2' })]);
      const [first] = await store.listHeals({ review: 'pending', limit: 1 });
      await store.recordHeals([{ ...first!, review: 'rejected' }]);
      expect((await store.listHeals({ review: 'pending' })).map((h) => h.id)).toEqual([first!.id === 'id-1#0#1' ? 'id-1#0#2' : 'id-1#0#1']);
      expect(await store.listHeals({ review: 'rejected' })).toEqual([{ ...first!, review: 'rejected' }]);
    });

    it('keeps a failure pattern’s review', async () => {
      const pattern: FailurePattern = {
        id: 'fp-1', project: 'default', category: 'timeout', signatures: ['sig-a'], count: 1, firstSeen: at(1), lastSeen: at(1), runs: ['run-1'], tests: ['t'],
        features: ['f'], examples: ['Error: x'], knownFixes: [], review: { decision: 'acknowledged', at: at(2), signature: 'sig-a' },
      };
      await store.putFailurePatterns([pattern]);
      expect(await store.listFailurePatterns({ project: 'default' })).toEqual([pattern]);
    });
  });
}
