import { describe, expect, it } from 'vitest';
import { isMedicConfigError } from '../errors.js';
import type { Candidate, Fingerprint } from './fingerprint.js';
import { DEFAULT_MODEL, type RankerModel } from './model.js';
import { choose, rankCandidates, withoutValueText } from './rank.js';

const target: Fingerprint = {
  tag: 'button',
  id: 'place-order',
  classes: ['btn', 'btn-primary'],
  text: 'Place order',
  visibleText: 'Place order',
  xpath: '/html[1]/body[1]/main[1]/form[1]/button[1]',
  idXpath: 'id("place-order")',
  box: { x: 600, y: 420, width: 120, height: 36 },
  neighbors: { left: 'Back to cart', any: 'Total 42.00 Back to cart' },
};

const page: Candidate[] = [
  { index: 0, tag: 'a', text: 'Home', classes: ['nav'], xpath: '/html[1]/body[1]/header[1]/a[1]', box: { x: 10, y: 10, width: 60, height: 20 } },
  { index: 1, tag: 'a', text: 'Back to cart', visibleText: 'Back to cart', xpath: '/html[1]/body[1]/main[1]/form[1]/a[1]', box: { x: 420, y: 420, width: 100, height: 36 } },
  {
    index: 2,
    tag: 'button',
    id: 'submit-order',
    classes: ['btn', 'btn-primary', 'btn-lg'],
    text: 'Place your order',
    visibleText: 'Place your order',
    xpath: '/html[1]/body[1]/main[1]/div[1]/form[1]/button[1]',
    idXpath: 'id("submit-order")',
    box: { x: 610, y: 430, width: 140, height: 40 },
    neighbors: { left: 'Back to cart', any: 'Total 42.00 Back to cart' },
  },
  { index: 3, tag: 'button', text: 'Apply coupon', classes: ['btn'], xpath: '/html[1]/body[1]/aside[1]/button[1]', box: { x: 900, y: 100, width: 100, height: 30 } },
  { index: 4, tag: 'input', name: 'coupon', xpath: '/html[1]/body[1]/aside[1]/input[1]', box: { x: 800, y: 100, width: 90, height: 30 } },
  { index: 5, tag: 'h1', text: 'Checkout', xpath: '/html[1]/body[1]/main[1]/h1[1]', box: { x: 10, y: 60, width: 300, height: 40 } },
];

describe('rankCandidates', () => {
  it('heals to a clear match and says why', () => {
    const result = rankCandidates(target, page);
    expect(result.decision).toBe('heal');
    expect(result.best?.index).toBe(2);
    expect(result.runnerUp).toBeDefined();
    expect(result.confidence).toBeGreaterThanOrEqual(DEFAULT_MODEL.threshold);
    expect(result.margin).toBeGreaterThanOrEqual(DEFAULT_MODEL.minMargin);
    expect(result.reason).toMatch(/^best candidate matches .+ \(confidence [01]\.\d\d, margin [01]\.\d\d\)$/);
    expect(result.ranked.map((r) => r.index)[0]).toBe(2);
    expect(result.ranked).toHaveLength(5);
  });

  it('explains every score: contributions name attributes and sum to the score', () => {
    const result = rankCandidates(target, page);
    for (const candidate of result.ranked) {
      const sum = candidate.contributions.reduce((s, c) => s + c.contribution, 0);
      expect(sum).toBeCloseTo(candidate.score, 9);
      for (const c of candidate.contributions) {
        expect(c.attribute).toMatch(/\w/);
        expect(c.similarity).toBeGreaterThanOrEqual(0);
        expect(c.similarity).toBeLessThanOrEqual(1);
      }
    }
    const named = result.best!.contributions.map((c) => c.attribute);
    expect(named.some((a) => a.startsWith('text'))).toBe(true);
    expect(named.some((a) => a.includes('xpath') || a.includes('idXpath'))).toBe(true);
    // Scores are ranked best first.
    const scores = result.ranked.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('does not count the best candidate’s own parent as the runner-up', () => {
    const wrapper: Candidate = { index: 8, tag: 'div', text: 'Place your order', xpath: '/html[1]/body[1]/main[1]/div[1]/form[1]' };
    const result = rankCandidates(target, [...page, wrapper]);
    expect(result.best?.index).toBe(2);
    expect(result.ranked[1]?.index).toBe(8);
    expect(result.runnerUp?.index).not.toBe(8);
  });

  it('abstains when two candidates are equally likely', () => {
    const twin = { ...page[2]!, index: 7 };
    const result = rankCandidates(target, [...page, twin]);
    expect(result.decision).toBe('abstain');
    expect(result.reason).toMatch(/two candidates are equally likely/);
    expect(result.margin).toBe(0);
    expect(result.best?.index).toBe(2);
    expect(result.runnerUp?.index).toBe(7);
  });

  it('abstains with a reason when there are no candidates', () => {
    const result = rankCandidates(target, []);
    expect(result).toMatchObject({ decision: 'abstain', confidence: 0, margin: 0, ranked: [] });
    expect(result.best).toBeUndefined();
    expect(result.reason).toMatch(/no candidates/);
  });

  it('abstains when nothing matches the fingerprint', () => {
    const result = rankCandidates({}, page);
    expect(result.decision).toBe('abstain');
    expect(result.reason).toMatch(/no candidate matches the stored fingerprint/);
  });

  it('abstains on a lone weak candidate instead of trusting a softmax of one', () => {
    const result = rankCandidates(target, [{ index: 0, tag: 'button', text: 'Cancel', xpath: '/html[1]/body[1]/div[1]/button[1]' }]);
    expect(result.decision).toBe('abstain');
    expect(result.confidence).toBeLessThan(0.5);
  });

  it('honours the threshold and minMargin options', () => {
    expect(rankCandidates(target, page, { threshold: 1 }).reason).toMatch(/below the threshold 1\.00/);
    expect(rankCandidates(target, page, { threshold: 0, minMargin: 1 }).reason).toMatch(/runner-up is too close/);
  });

  it('rejects thresholds outside 0..1 with a typed error', () => {
    let error: unknown;
    try {
      rankCandidates(target, page, { threshold: 80 });
    } catch (e) {
      error = e;
    }
    expect(isMedicConfigError(error)).toBe(true);
    expect(String(error)).toMatch(/healing.threshold must be a number from 0 to 1, got 80/);
  });

  it('scores with a given model exactly: Σ weight·(2·similarity − 1) / temperature', () => {
    const model: RankerModel = { kind: 'medic-ranker', version: 1, features: ['text', 'unknown feature'], weights: [3, 100], temperature: 1.5, absentScore: 0, threshold: 0.5, minMargin: 0 };
    const result = rankCandidates({ text: 'abc' }, [
      { index: 10, text: 'abc' },
      { index: 11, text: 'xyz' },
    ], { model });
    expect(result.best).toMatchObject({ index: 10, score: 2, contributions: [{ attribute: 'text', similarity: 1, weight: 2, contribution: 2 }] });
    expect(result.runnerUp).toMatchObject({ index: 11, score: -2 });
    const z = Math.exp(2) + Math.exp(-2) + Math.exp(0);
    expect(result.confidence).toBeCloseTo(Math.exp(2) / z, 12);
    expect(result.margin).toBeCloseTo((Math.exp(2) - Math.exp(-2)) / z, 12);
    expect(result.decision).toBe('heal');
  });

  it('rejects an invalid model with a typed error', () => {
    const bad = { ...DEFAULT_MODEL, weights: [1] };
    expect(() => rankCandidates(target, page, { model: bad })).toThrow(/model is invalid/);
  });
});

describe('a value in the text (a count, a price)', () => {
  const badge = (text: string, extra: Partial<Candidate> = {}): Candidate => ({
    index: 0,
    tag: 'span',
    classes: ['badge'],
    text,
    visibleText: text,
    accessibleName: text,
    xpath: '/html[1]/body[1]/header[1]/div[1]/a[3]/span[1]',
    box: { x: 880, y: 18, width: 18, height: 16 },
    neighbors: { left: 'Bag', any: 'Products Log in Bag' },
    ...extra,
  });
  const header: Candidate[] = [
    badge('1', { classes: ['badge', 'bag-count'] }),
    { index: 1, tag: 'a', text: 'Bag 1', classes: ['nav-link'], xpath: '/html[1]/body[1]/header[1]/div[1]/a[3]', box: { x: 840, y: 14, width: 64, height: 24 } },
    { index: 2, tag: 'a', text: 'Log in', classes: ['nav-link'], xpath: '/html[1]/body[1]/header[1]/div[1]/a[2]', box: { x: 760, y: 14, width: 60, height: 24 } },
    { index: 3, tag: 'span', text: 'Shop', classes: ['logo'], xpath: '/html[1]/body[1]/header[1]/span[1]', box: { x: 10, y: 14, width: 80, height: 24 } },
  ];

  // The badge of the cart link as v1 had it (count 2, an id, the link second in a <nav>);
  // the page now shows count 1 in a renamed, moved link.
  const stored: Fingerprint = {
    ...badge('2', { xpath: '/html[1]/body[1]/header[1]/nav[1]/a[2]/span[1]', box: { x: 780, y: 18, width: 18, height: 16 } }),
    neighbors: { left: 'Cart', any: 'Products Cart Sign in' },
    id: 'cart-count',
    idXpath: 'id("cart-count")',
  };

  it('is left out of a second look when the first abstains, and the heal says so', () => {
    const first = rankCandidates(stored, header, { threshold: 0.999 });
    const second = rankCandidates(withoutValueText(stored)!, header);
    expect(first.decision).toBe('abstain');
    expect(first.confidence).toBeLessThan(DEFAULT_MODEL.threshold); // the count's change alone keeps it below
    expect(second.decision).toBe('heal');
    const result = rankCandidates(stored, header);
    expect(result).toMatchObject({ decision: 'heal', best: { index: 0 }, confidence: second.confidence });
    expect(result.reason).toBe(`${second.reason}; its text, "2", is a value and was not compared`);
  });

  it('is compared when it matches: the first look decides', () => {
    const same = { ...stored, text: '1', visibleText: '1', accessibleName: '1' };
    expect(rankCandidates(same, header).reason).not.toContain('is a value');
  });

  it('never makes a heal of an abstention that the second look also abstains on', () => {
    const elsewhere: Fingerprint = { tag: 'td', text: '2', xpath: '/html[1]/body[1]/main[1]/table[1]/tr[2]/td[4]', box: { x: 500, y: 600, width: 40, height: 20 } };
    expect(rankCandidates(elsewhere, header).decision).toBe('abstain');
  });

  it('strips only text that is a number, never words', () => {
    expect(withoutValueText({ tag: 'span', text: '3', visibleText: '3', accessibleName: 'Cart items' })).toEqual({ tag: 'span', accessibleName: 'Cart items' });
    for (const value of ['$45.00', '1,024', '-12 %', '€ 9,99', '#1001', '12:30']) expect(withoutValueText({ text: value }), value).toEqual({});
    for (const words of ['Cart 1', '3 items', 'Step 2 of 3', 'v2', 'Order ORD-1001']) expect(withoutValueText({ text: words }), words).toBeUndefined();
    expect(withoutValueText({ tag: 'span' })).toBeUndefined();
  });
});

describe('choose', () => {
  it('softmaxes scores with the absent option and breaks ties by order', () => {
    const c = choose([1, 1, 0], Number.NEGATIVE_INFINITY);
    expect(c.best).toBe(0);
    expect(c.runnerUp).toBe(1);
    expect(c.margin).toBe(0);
    expect(choose([0], 0).confidence).toBeCloseTo(0.5);
    expect(choose([], 0).best).toBe(-1);
  });

  it('measures the margin against the best row outside the family, and credits the family’s share', () => {
    // Row 1 is row 0's parent (a link and its <li>); row 2 stands apart.
    const parents = Int32Array.from([1, -1, -1]);
    const scores = [3, 2.5, 1];
    const alone = choose(scores, Number.NEGATIVE_INFINITY);
    expect(alone.runnerUp).toBe(1);
    const none = choose(scores, Number.NEGATIVE_INFINITY, { parents, credit: 0 });
    expect(none.runnerUp).toBe(2);
    expect(none.family).toEqual([1]);
    expect(none.confidence).toBeCloseTo(alone.confidence, 12);
    expect(none.margin).toBeCloseTo(alone.probabilities[0]! - alone.probabilities[2]!, 12);
    const full = choose(scores, Number.NEGATIVE_INFINITY, { parents, credit: 1 });
    expect(full.confidence).toBeCloseTo(alone.probabilities[0]! + alone.probabilities[1]!, 12);
    const half = choose(scores, Number.NEGATIVE_INFINITY, { parents, credit: 0.5 });
    expect(half.confidence).toBeCloseTo(alone.probabilities[0]! + 0.5 * alone.probabilities[1]!, 12);
  });

  it('credits the runner-up with its own family but not with the best’s', () => {
    // 0 and 1 stand apart; 2 is 1's child, 3 is 0's child.
    const parents = Int32Array.from([-1, -1, 1, 0]);
    const c = choose([3, 2, 1, 0], Number.NEGATIVE_INFINITY, { parents, credit: 1 });
    const p = c.probabilities;
    expect(c.runnerUp).toBe(1);
    expect(c.confidence).toBeCloseTo(p[0]! + p[3]!, 12);
    expect(c.margin).toBeCloseTo(p[0]! + p[3]! - (p[1]! + p[2]!), 12);
  });
});
