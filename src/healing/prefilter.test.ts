import { describe, expect, it } from 'vitest';
import type { Fingerprint } from './fingerprint.js';
import { prefilter, type Sketch } from './prefilter.js';

const { scores, best, shortlist, termsOf, haystackOf } = prefilter();

const target: Fingerprint = {
  tag: 'button',
  id: 'place-order',
  classes: ['btn', 'btn-primary'],
  text: 'Place order',
  xpath: '/html[1]/body[1]/main[1]/form[1]/button[1]',
  box: { x: 600, y: 420, width: 120, height: 36 },
};

/** 1,000 cards of noise far below, each with a button like any other. */
const noise: Sketch[] = Array.from({ length: 1000 }, (_, i) => ({
  tag: 'button',
  classes: ['btn'],
  text: 'View',
  xpath: `/html[1]/body[1]/section[1]/div[${i + 1}]/button[1]`,
  box: { x: 20, y: 3000 + 40 * i, width: 60, height: 30 },
}));

const moved: Sketch = {
  tag: 'button',
  id: 'submit-order',
  classes: ['btn', 'btn-primary', 'btn-lg'],
  text: 'Place your order',
  xpath: '/html[1]/body[1]/main[1]/div[1]/form[1]/button[1]',
  box: { x: 610, y: 430, width: 140, height: 40 },
};

describe('prefilter', () => {
  it('brings the same widget up among a thousand look-alikes', () => {
    const page = [...noise.slice(0, 500), moved, ...noise.slice(500)];
    const s = scores(target, page);
    const better = s.filter((v) => v > s[500]!).length;
    expect(better).toBe(0);
    expect(shortlist(target, page, 10)).toContain(500);
  });

  it('finds an old id that survives as words elsewhere (headerCart → "Items in cart")', () => {
    const old: Fingerprint = { tag: 'a', id: 'headerCart' };
    const page: Sketch[] = [...noise.slice(0, 50), { tag: 'span', text: 'Items in cart' }];
    expect(shortlist(old, page, 1)).toEqual([50]);
  });

  it('weighs a rare shared term above a common one', () => {
    const old: Fingerprint = { tag: 'span', classes: ['price'], text: '$129.00' };
    const prices: Sketch[] = Array.from({ length: 200 }, (_, i) => ({ tag: 'span', classes: ['price'], text: `$${i + 200}.00` }));
    const page = [...prices, { tag: 'span', classes: ['amount'], text: '$129.00' }];
    expect(shortlist(old, page, 1)).toEqual([200]);
  });

  it('keeps document order and every candidate when there are no more than k', () => {
    const page = noise.slice(0, 5);
    expect(shortlist(target, page, 5)).toEqual([0, 1, 2, 3, 4]);
    const picked = shortlist(target, [...noise.slice(0, 30), moved], 5);
    expect(picked).toHaveLength(5);
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    expect(picked).toContain(30);
  });

  it('matches whole values only as whole values, words as words', () => {
    expect(termsOf({ tag: 'a', id: 'cartLink', classes: ['nav-item'] })).toEqual([' <a ', ' #cartlink ', ' .nav-item ', 'cart', 'link', 'nav', 'item']);
    expect(haystackOf({ tag: 'a', id: 'cartLinks' })).toContain(' #cartlinks ');
    expect(haystackOf({ tag: 'a', id: 'cartLinks' })).not.toContain(' #cartlink ');
  });

  it('scores every candidate, even one with no fields', () => {
    const s = scores(target, [{}, { tag: 'div' }, moved]);
    expect(Array.from(s).every(Number.isFinite)).toBe(true);
    expect(s[2]).toBeGreaterThan(s[1]!);
  });

  it('offers candidates best first, ties in document order, sorting only as far as it goes', () => {
    const s = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 13); // many ties
    const order = Array.from(s.keys()).sort((a, b) => s[b]! - s[a]! || a - b);
    expect(best(s, 10)).toEqual(order.slice(0, 10));
    const even = (i: number) => i % 2 === 0;
    expect(best(s, 300, even)).toEqual(order.filter(even).slice(0, 300));
    expect(best(s, 2000, even)).toEqual(order.filter(even));
    expect(best(s, 0)).toEqual([]);
  });
});
