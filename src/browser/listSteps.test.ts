import { describe, expect, it } from 'vitest';
import { mergeSelector, type SelectorObservation } from '../learning/catalog.js';
import { WorkerCatalog } from '../learning/workerCatalog.js';
import { isListStep, setPlan } from './listSteps.js';
import type { LocatorStep } from './locatorHooks.js';

const CARDS = { selector: 'internal:testid=[data-testid="card"s]', code: "getByTestId('card')" };
const set = { count: 3, members: [{ tag: 'li', text: 'a' }, { tag: 'li', text: 'b' }], shared: { tag: 'li', classes: [], testIds: {} } };
const observation = (o: Partial<SelectorObservation>): SelectorObservation => ({ ...CARDS, pageKey: '/p', outcome: 'worked', at: '2026-11-24T10:00:00.000Z', ...o });
const expectStep = (expression: string): LocatorStep => ({ kind: 'expect', expression, options: {}, run: async () => ({ matches: true }) });

describe('isListStep', () => {
  it('is true for counts and array texts, false for actions and single-element assertions', () => {
    expect(['to.have.count', 'to.have.text.array', 'to.contain.text.array'].map((e) => isListStep(expectStep(e)))).toEqual([true, true, true]);
    expect(isListStep(expectStep('to.have.text'))).toBe(false);
    expect(isListStep({ kind: 'action', method: 'click', args: [], run: async () => undefined })).toBe(false);
  });
});

describe('setPlan', () => {
  const catalog = new WorkerCatalog('shop', [mergeSelector(undefined, 'shop', observation({ set }))]);
  it('heals a list step from its own sample, a chain from the longest leading part recorded as a set', () => {
    expect(setPlan(catalog, '/p', CARDS, true)).toEqual({ base: CARDS, members: set.members });
    const first = { selector: `${CARDS.selector} >> nth=0`, code: "getByTestId('card').first()" };
    expect(setPlan(catalog, '/p', first, false)).toEqual({ base: CARDS, rest: 'nth=0', members: set.members });
    expect(setPlan(catalog, '/other', first, false)).toBeUndefined();
    // A single-element step on the set itself is not healed as a set.
    expect(setPlan(catalog, '/p', CARDS, false)).toBeUndefined();
  });
  it('uses the single fingerprint of a list seen with one element', () => {
    const one = new WorkerCatalog('shop', [mergeSelector(undefined, 'shop', observation({ fingerprint: { tag: 'li', text: 'a' } }))]);
    expect(setPlan(one, '/p', CARDS, true)?.members).toEqual([{ tag: 'li', text: 'a' }]);
  });
});
