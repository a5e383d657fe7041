import { describe, expect, it } from 'vitest';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { selectHeals } from './select.js';

const to = { selector: 'internal:testid=[data-testid="save"s]', code: "page.getByTestId('save')" };
const other = { selector: 'internal:testid=[data-testid="store"s]', code: "page.getByTestId('store')" };

describe('selectHeals', () => {
  const accepted = makeHeal({ id: 'a', review: 'accepted', to });
  const pendingHealed = makeHeal({ id: 'b', review: 'pending', outcome: 'healed', to: other });
  const pendingSuggested = makeHeal({ id: 'c', review: 'pending', outcome: 'suggested', to: other });
  const pendingFailed = makeHeal({ id: 'd', review: 'pending', outcome: 'failed', to: other });
  const abstained = makeHeal({ id: 'e', review: 'pending', outcome: 'abstained', to: undefined });

  it('takes the accepted heals; with pending, also the pending ones that healed or were suggested', () => {
    const all = [accepted, pendingHealed, pendingSuggested, pendingFailed, abstained];
    expect(selectHeals(all, { pending: false }).chosen.map((h) => h.id)).toEqual(['a']);
    expect(selectHeals(all, { pending: true }).chosen.map((h) => h.id)).toEqual(['a', 'b', 'c']);
  });

  it('never takes a rejected heal, nor another run’s heal of a change that was rejected', () => {
    const rejected = makeHeal({ id: 'r', runId: 'run-2', review: 'rejected', to: other });
    const { chosen, refused } = selectHeals([accepted, pendingHealed, rejected], { pending: true });
    expect(chosen.map((h) => h.id)).toEqual(['a']);
    expect(refused).toEqual([{ heal: pendingHealed, reason: 'this change was rejected in review (medic review) in another run' }]);
  });
});
