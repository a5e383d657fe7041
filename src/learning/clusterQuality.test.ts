import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, inversePurity, purity, type Assignment } from './clusterQuality.js';

const of = (clusters: string, labels: string): Assignment[] => [...clusters].map((cluster, i) => ({ cluster, label: labels[i]! }));

describe('cluster quality', () => {
  it('is perfect for the same partition under other names', () => {
    const items = of('aabbc', 'xxyyz');
    expect([purity(items), inversePurity(items), adjustedRandIndex(items)]).toEqual([1, 1, 1]);
  });

  it('penalises a cluster that mixes labels in purity, and a label split over clusters in inverse purity', () => {
    expect(purity(of('aaaa', 'xxyy'))).toBe(0.5);
    expect(inversePurity(of('aaaa', 'xxyy'))).toBe(1);
    expect([purity(of('aaab', 'xxyy')), inversePurity(of('aaab', 'xxyy'))]).toEqual([0.75, 0.75]);
    expect(purity(of('abcd', 'xxxx'))).toBe(1);
    expect(inversePurity(of('abcd', 'xxxx'))).toBe(0.25);
  });

  it('gives the adjusted Rand index of a worked example', () => {
    // Clusters {1,2,3}{4,5,6} vs labels {1,2}{3,4}{5,6}: index 2, a 6, b 3, total 15 → (2 − 1.2) / (4.5 − 1.2).
    expect(adjustedRandIndex(of('aaabbb', 'xxyyzz'))).toBeCloseTo(0.8 / 3.3, 10);
    expect(adjustedRandIndex(of('abab', 'xxyy'))).toBeLessThan(0);
  });

  it('handles the trivial cases', () => {
    expect([purity([]), inversePurity([]), adjustedRandIndex([])]).toEqual([1, 1, 1]);
    expect(adjustedRandIndex(of('a', 'x'))).toBe(1);
    expect(adjustedRandIndex(of('aaa', 'xxx'))).toBe(1);
  });
});
