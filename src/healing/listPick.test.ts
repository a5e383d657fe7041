import { describe, expect, it } from 'vitest';
import type { Candidate, Fingerprint } from './fingerprint.js';
import { pickFromList } from './listPick.js';
import { rankCandidates } from './rank.js';

const target: Fingerprint = { tag: 'button', role: 'button', text: 'Remove', accessibleName: 'Remove', xpath: '/html/body/table/tbody/tr[1]/td[2]/button', box: { x: 400, y: 100, width: 80, height: 30 } };
const row = (index: number, y: number): Candidate => ({ index, tag: 'button', role: 'button', text: 'Remove', accessibleName: 'Remove', xpath: `/html/body/div/div[${index}]/button`, box: { x: 400, y, width: 80, height: 30 } });
const candidates: Candidate[] = [{ index: 0, tag: 'h1', text: 'Your bag' }, row(1, 100), row(2, 140), row(3, 180)];

describe('pickFromList', () => {
  it('heals where the ranker is torn only between alike siblings, at the same position', () => {
    expect(rankCandidates(target, candidates).decision).toBe('abstain');
    const pick = pickFromList(target, candidates, 0);
    expect(pick.decision).toBe('heal');
    expect(pick.members.map((m) => m.index)).toEqual([1, 2, 3]);
    expect(pick.best?.index).toBe(1);
    expect(pick.confidence).toBeGreaterThan(pick.margin);
  });

  it('abstains when the likeliest sibling is elsewhere in the list, or there are no siblings', () => {
    expect(pickFromList(target, candidates, -1).reason).toMatch(/not at position -1/);
    expect(pickFromList(target, candidates.slice(0, 2), 0).reason).toMatch(/no siblings/);
    expect(pickFromList(target, [], 0).decision).toBe('abstain');
  });
});
