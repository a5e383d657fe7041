import { describe, expect, it } from 'vitest';
import {
  ancestorSimilarity,
  areaSimilarity,
  equalSimilarity,
  jaccard,
  levenshteinDistance,
  levenshteinSimilarity,
  locationSimilarity,
  normalizeText,
  parseXPath,
  ratioSimilarity,
  setSimilarity,
  shapeSimilarity,
  stepSimilarity,
  tokenize,
  tokenSimilarity,
  wordMatchSimilarity,
  xpathSimilarity,
} from './similarity.js';

/** Textbook dynamic programme, as the reference for the optimised one. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

describe('equalSimilarity', () => {
  it('is 1 for equal strings, ignoring case and outer spaces unless told', () => {
    expect(equalSimilarity('Login', ' login ')).toBe(1);
    expect(equalSimilarity('Login', 'login', { caseSensitive: true })).toBe(0);
    expect(equalSimilarity('login', 'logout')).toBe(0);
  });
});

describe('levenshteinDistance', () => {
  it('matches the textbook algorithm on known and random pairs', () => {
    expect(levenshteinDistance('kitten', 'sitting')).toBe(3);
    expect(levenshteinDistance('', 'abc')).toBe(3);
    expect(levenshteinDistance('same', 'same')).toBe(0);
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const word = () => Array.from({ length: Math.floor(rand() * 12) }, () => 'abcd'[Math.floor(rand() * 4)]).join('');
    for (let k = 0; k < 300; k++) {
      const a = word();
      const b = word();
      expect(levenshteinDistance(a, b)).toBe(reference(a, b));
    }
  });

  it('stops early past the bound and says so with bound + 1', () => {
    expect(levenshteinDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
    expect(levenshteinDistance('abc', 'abcdefgh', 2)).toBe(3);
    expect(levenshteinDistance('kitten', 'sitting', 3)).toBe(3);
  });
});

describe('levenshteinSimilarity', () => {
  it('is 1 − distance / longer length on normalised text', () => {
    expect(levenshteinSimilarity('Sign in', 'sign  IN')).toBe(1);
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7);
    expect(levenshteinSimilarity('abc', 'xyz')).toBe(0);
    expect(levenshteinSimilarity('', '')).toBe(1);
  });

  it('returns 0 below the floor', () => {
    expect(levenshteinSimilarity('kitten', 'sitting', 0.8)).toBe(0);
    expect(levenshteinSimilarity('kitten', 'sitting', 0.5)).toBeCloseTo(1 - 3 / 7);
  });
});

describe('tokens and words', () => {
  it('normalises and tokenises text', () => {
    expect(normalizeText('  Sign \n In ')).toBe('sign in');
    expect(tokenize('Log in — Café №2')).toEqual(['log', 'in', 'café', '2']);
  });

  it('computes Jaccard overlap of token sets', () => {
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3);
    expect(jaccard(['a', 'a'], ['a'])).toBe(1);
    expect(jaccard([], ['a'])).toBe(0);
    expect(jaccard([], [])).toBe(1);
    expect(tokenSimilarity('Add to cart', 'add TO basket')).toBeCloseTo(2 / 4);
    expect(setSimilarity(['btn', 'primary'], ['primary', 'btn', 'large'])).toBeCloseTo(2 / 3);
  });

  it('matches words as Similo does: whole, prefix or suffix, weighted by length', () => {
    expect(wordMatchSimilarity('sign in', 'sign in')).toBe(1);
    expect(wordMatchSimilarity('ok cancel', 'cancel help ok')).toBeCloseTo(8 / 12);
    expect(wordMatchSimilarity('search', 'searching now')).toBeCloseTo(6 / 12);
    expect(wordMatchSimilarity('abc', 'xyz')).toBe(0);
    expect(wordMatchSimilarity('', 'x')).toBe(0);
  });
});

describe('paths', () => {
  it('parses absolute and id-relative XPaths, whatever the id syntax', () => {
    expect(parseXPath('/html[1]/body[1]/div[2]')).toEqual([
      { tag: 'html', position: 1 },
      { tag: 'body', position: 1 },
      { tag: 'div', position: 2 },
    ]);
    expect(parseXPath('id("nav")/ul[1]/li[2]')).toEqual(parseXPath("//*[@id='nav']/ul[1]/li[2]"));
    expect(parseXPath('//*[@id=\'x\']/a[1]/*[local-name() = "svg"][1]').at(-1)).toEqual({ tag: 'svg', position: 1 });
  });

  it('aligns steps: same tag at another position costs half a step', () => {
    expect(xpathSimilarity('/html[1]/body[1]/a[1]', '/html[1]/body[1]/a[1]')).toBe(1);
    expect(xpathSimilarity('/html[1]/body[1]/a[1]', '/html[1]/body[1]/a[2]')).toBeCloseTo(1 - 0.5 / 3);
    expect(xpathSimilarity('/html[1]/body[1]/a[1]', '/html[1]/body[1]/div[1]/a[1]')).toBeCloseTo(1 - 1 / 4);
    expect(xpathSimilarity('id("a")/span[1]', 'id("b")/span[1]')).toBeCloseTo(0.5);
    expect(stepSimilarity([], [])).toBe(1);
    expect(stepSimilarity([], [{ tag: 'a', position: 1 }])).toBe(0);
  });

  it('aligns ancestor paths by tag, id and classes', () => {
    const form = { tag: 'form', id: 'login' };
    expect(ancestorSimilarity([{ tag: 'div' }, form], [{ tag: 'div' }, form])).toBe(1);
    expect(ancestorSimilarity([form], [{ tag: 'form', id: 'signup' }])).toBe(0.5);
    expect(ancestorSimilarity([{ tag: 'div', classes: ['a', 'b'] }], [{ tag: 'div', classes: ['a'] }])).toBeCloseTo(0.75);
    expect(ancestorSimilarity([{ tag: 'div' }], [{ tag: 'span' }])).toBe(0);
    expect(ancestorSimilarity([], [])).toBe(1);
  });
});

describe('geometry', () => {
  const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });

  it('scores location by distance: 1 in place, ½ at the scale', () => {
    expect(locationSimilarity(box(10, 10, 5, 5), box(10, 10, 50, 50))).toBe(1);
    expect(locationSimilarity(box(0, 0, 1, 1), box(30, 40, 1, 1), 50)).toBeCloseTo(0.5);
    expect(locationSimilarity(box(0, 0, 1, 1), box(3000, 4000, 1, 1), 50)).toBeLessThan(0.02);
  });

  it('compares area and shape as ratios', () => {
    expect(areaSimilarity(box(0, 0, 10, 10), box(0, 0, 20, 10))).toBe(0.5);
    expect(shapeSimilarity(box(0, 0, 10, 10), box(0, 0, 20, 20))).toBe(1);
    expect(shapeSimilarity(box(0, 0, 20, 10), box(0, 0, 10, 10))).toBe(0.5);
    expect(shapeSimilarity(box(0, 0, 10, 0), box(0, 0, 10, 10))).toBe(0);
    expect(ratioSimilarity(0, 0)).toBe(1);
    expect(ratioSimilarity(3, 4)).toBe(0.75);
  });
});
