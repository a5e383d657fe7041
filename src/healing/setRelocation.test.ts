import { describe, expect, it } from 'vitest';
import type { Candidate } from './fingerprint.js';
import type { RankResult } from './rank.js';
import { checkSetMatch, groupConfidence, relocateSet, setProposalCode, setProposals, type MemberHeal } from './setRelocation.js';

const shape = { tag: 'article', classes: ['product-tile'], testIds: { 'data-testid': 'product-tile' }, path: "//*[@id='catalog']/article" };
const tile = (index: number, extra: Partial<Candidate> = {}): Candidate => ({
  index,
  tag: 'article',
  classes: ['product-tile'],
  testIds: { 'data-testid': 'product-tile' },
  idXpath: `//*[@id='catalog']/article[${index}]`,
  ...extra,
});
const heal = (member: number, candidate: Candidate, confidence: number): MemberHeal => ({
  member,
  candidate,
  rank: { decision: confidence >= 0.84 ? 'heal' : 'abstain', confidence, margin: confidence, reason: '', ranked: [] } as RankResult,
});

describe('setProposals', () => {
  it('prefers the shared test id, then classes, then the same scoped by the id, then the structural path', () => {
    expect(setProposals(shape).map((p) => setProposalCode(p))).toEqual([
      "page.getByTestId('product-tile')",
      "page.locator('article.product-tile')",
      `page.locator('#catalog [data-testid="product-tile"]')`,
      "page.locator('#catalog article.product-tile')",
      "page.locator('xpath=//*[@id=\\'catalog\\']/article')",
    ]);
  });

  it('writes another test attribute as CSS when the project uses a different one', () => {
    expect(setProposals({ ...shape, classes: [] }, 'data-qa')[0]).toMatchObject({ method: 'locator', value: '[data-testid="product-tile"]' });
  });
});

describe('checkSetMatch', () => {
  const healed = [heal(0, tile(1), 0.7), heal(1, tile(3), 0.7)];
  it('accepts a match holding every healed member and only alike elements, whatever its size', () => {
    expect(checkSetMatch(shape, healed, [tile(1), tile(2), tile(3)])).toBeUndefined();
    expect(checkSetMatch(shape, healed, [tile(1), tile(3)])).toBeUndefined();
  });
  it('refuses a match that misses a member, holds an element elsewhere or unlike them, or one not captured', () => {
    expect(checkSetMatch(shape, healed, [tile(1)])).toMatch(/misses the healed member 2/);
    expect(checkSetMatch(shape, healed, [tile(1), tile(3), tile(9, { idXpath: "//*[@id='recent']/article[1]" })])).toMatch(/elsewhere/);
    expect(checkSetMatch(shape, healed, [tile(1), tile(3), tile(4, { tag: 'div' })])).toMatch(/<div>/);
    expect(checkSetMatch(shape, healed, [tile(1), tile(3), tile(4, { classes: [] })])).toMatch(/class "product-tile"/);
    expect(checkSetMatch(shape, healed, [tile(1), tile(3), undefined])).toMatch(/hidden/);
  });
});

describe('groupConfidence', () => {
  it('is the chance that not every member heal is wrong', () => {
    expect(groupConfidence([heal(0, tile(1), 0.5), heal(1, tile(2), 0.5)])).toBeCloseTo(0.75);
    expect(groupConfidence([])).toBe(0);
  });
});

describe('relocateSet', () => {
  const members = ['Lamp', 'Ring', 'Bottle'].map((t, i) => ({ tag: 'li', classes: ['product-card'], text: t, visibleText: t, idXpath: `//*[@id='list']/li[${i + 1}]` }));
  const page = (texts: string[]) => [
    { index: 0, tag: 'h1', text: 'Products', visibleText: 'Products', idXpath: '/html/body/h1' },
    ...texts.map((t, i) => tile(i + 1, { text: t, visibleText: t })),
  ];

  it('abstains when no member is on the page', () => {
    const found = relocateSet(members, [{ index: 0, tag: 'p', text: 'Nothing here', idXpath: '/html/body/p' }]);
    expect(found.decision).toBe('abstain');
    expect(found.reason).toMatch(/^abstained: none of the 3 sampled members/);
  });

  it('gives the healed members their own elements, never one element to two members', () => {
    const found = relocateSet(members, page(['Lamp', 'Ring', 'Bottle']));
    const indices = found.healed.map((h) => h.candidate.index);
    expect(new Set(indices).size).toBe(indices.length);
    expect(found.decision).toBe('heal');
    expect(found.healed.map((h) => [h.member, h.candidate.index])).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it("counts a member whose pick is the link inside an alike heading for the group, on the heading", () => {
    const names = ['Lamp', 'Ring', 'Bottle'].map((t, i) => ({ tag: 'h3', classes: ['product-name'], text: t, visibleText: t, xpath: `/html[1]/body[1]/ul[1]/li[${i + 1}]/h3[1]` }));
    const cards = ['Lamp', 'Ring', 'Bottle Sale'].flatMap((t, i) => {
      const heading = `/html[1]/body[1]/div[1]/article[${i + 1}]/h2[1]`;
      return [
        { index: 2 * i + 1, tag: 'h2', classes: ['product-name'], text: t, visibleText: t, xpath: heading },
        { index: 2 * i + 2, tag: 'a', text: t.split(' ')[0]!, visibleText: t.split(' ')[0]!, xpath: `${heading}/a[1]` },
      ];
    });
    const plain = relocateSet(names.slice(2), cards);
    expect(cards.find((c) => c.index === plain.healed[0]?.candidate.index)?.tag).toBe('a');
    const found = relocateSet(names, cards);
    expect(found.reason).not.toMatch(/unlike the others/);
    expect(found.healed.map((h) => h.candidate.tag)).toEqual(['h2', 'h2', 'h2']);
  });
});
