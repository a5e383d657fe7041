import { describe, expect, it } from 'vitest';
import type { Candidate } from './fingerprint.js';
import { similoIntegerSimilarity, similoProperties, similoRank, similoScore, similoStringSimilarity, similoWordSimilarity } from './similo.js';

describe('Similo similarity functions (whole percent, as in WidgetLocator.java)', () => {
  it('Levenshtein on letters and digits over the longer raw length', () => {
    expect(similoStringSimilarity('kitten', 'sitting')).toBe(57);
    expect(similoStringSimilarity('u.s.', 'us')).toBe(100);
    expect(similoStringSimilarity('same', 'same')).toBe(100);
    expect(similoStringSimilarity('', 'x')).toBe(0);
  });

  it('integer similarity (max − |a − b|) / max', () => {
    expect(similoIntegerSimilarity(100, 50)).toBe(50);
    expect(similoIntegerSimilarity(3, 3)).toBe(100);
    expect(similoIntegerSimilarity(0, 0)).toBe(100);
  });

  it('neighbour word match', () => {
    expect(similoWordSimilarity('ok cancel', 'cancel help ok')).toBe(66);
    expect(similoWordSimilarity('home', 'home')).toBe(100);
    expect(similoWordSimilarity('', 'home')).toBe(0);
  });
});

describe('similoScore', () => {
  it('adds 1.5 for tag, name, id, visible text, neighbours and 0.5 for the rest', () => {
    const fp = {
      tag: 'A',
      id: 'x',
      name: 'n',
      classes: ['c'],
      href: 'h',
      alt: 'a',
      xpath: '/p[1]',
      idXpath: 'id("x")',
      isButton: false,
      box: { x: 0, y: 0, width: 10, height: 10 },
      visibleText: 'Go',
      neighbors: { any: 'left right' },
    };
    const p = similoProperties(fp);
    expect(similoScore(p, p)).toBeCloseTo(5 * 1.5 + 9 * 0.5);
    // Only comparisons present on both sides count.
    expect(similoScore(similoProperties({ tag: 'a' }), p)).toBe(1.5);
    // Location: max(100 − pixel distance, 0) / 100.
    expect(similoScore(similoProperties({ box: { x: 0, y: 0, width: 10, height: 10 } }), similoProperties({ box: { x: 30, y: 40, width: 10, height: 10 } }))).toBeCloseTo(
      0.5 * 0.5 + 0.5 + 0.5,
    );
  });

  it('takes text, else value, else placeholder as the visible text', () => {
    expect(similoProperties({ text: 'Hi' }).visible_text).toBe('hi');
    expect(similoProperties({ value: 'V', placeholder: 'P' }).visible_text).toBe('v');
    expect(similoProperties({ placeholder: 'P' }).visible_text).toBe('p');
  });
});

describe('similoRank', () => {
  const candidates: Candidate[] = [
    { index: 0, tag: 'a', text: 'Home' },
    { index: 1, tag: 'a', id: 'login', text: 'Log in' },
    { index: 2, tag: 'a', id: 'login', text: 'Log in' },
  ];

  it('picks the highest total, the earlier candidate on ties', () => {
    expect(similoRank({ tag: 'a', id: 'login', text: 'Log in' }, candidates).best).toBe(1);
    expect(similoRank({ tag: 'a', text: 'Home' }, candidates).best).toBe(0);
  });

  it('has no answer without candidates', () => {
    expect(similoRank({ tag: 'a' }, []).best).toBeUndefined();
  });
});
