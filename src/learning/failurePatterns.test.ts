import { describe, expect, it } from 'vitest';
import { bestKnownFix, choosePattern, fixRate, mergeOccurrence, recordFix, type FailureOccurrence } from './failurePatterns.js';

const o = (n: number, extra: Partial<FailureOccurrence> = {}): FailureOccurrence => ({
  project: 'shop', runId: `r${n}`, testKey: `t${n % 2}`, feature: 'f', category: 'timeout', signature: 's1', message: `message ${n % 4}`, at: `2026-12-0${n}T10:00:00.000Z`, ...extra,
});

describe('failure patterns', () => {
  it('counts occurrences, keeps the first and last seen, the runs and a few distinct examples', () => {
    let p = mergeOccurrence(undefined, o(3), 'fp');
    for (const n of [1, 5, 4, 6, 7]) p = mergeOccurrence(p, o(n, { signature: n === 7 ? 's2' : 's1' }), 'ignored');
    expect(p).toMatchObject({ id: 'fp', count: 6, firstSeen: o(1).at, lastSeen: o(7).at, signatures: ['s1', 's2'], tests: ['t1', 't0'] });
    expect(p.runs).toEqual(['r3', 'r1', 'r5', 'r4', 'r6', 'r7']);
    expect(p.examples).toEqual(['message 3', 'message 1', 'message 0']);
  });

  it('joins by signature first, then the nearest of its category above the threshold', () => {
    const a = mergeOccurrence(undefined, o(1), 'fp-a');
    const b = mergeOccurrence(undefined, o(2, { signature: 's9', category: 'assertion' }), 'fp-b');
    expect(choosePattern({ category: 'timeout', signature: 's1' }, [a, b], [{ id: 'fp-b', score: 0.99 }], 0.8)).toBe('fp-a');
    expect(choosePattern({ category: 'assertion', signature: 'new' }, [a, b], [{ id: 'fp-a', score: 0.95 }, { id: 'fp-b', score: 0.85 }], 0.8)).toBe('fp-b');
    expect(choosePattern({ category: 'assertion', signature: 'new' }, [a, b], [{ id: 'fp-b', score: 0.79 }], 0.8)).toBeUndefined();
  });

  it('ranks known fixes by their Laplace success rate, one lucky success below a steady one', () => {
    let p = mergeOccurrence(undefined, o(1), 'fp');
    p = recordFix(p, { strategy: 'relocate', to: 'A' }, true, o(1).at);
    for (let i = 0; i < 9; i++) p = recordFix(p, { strategy: 'known_fix', to: 'B' }, i !== 4, o(2).at);
    expect(p.knownFixes.find((k) => k.to === 'B')).toMatchObject({ successes: 8, tries: 9 });
    expect(bestKnownFix(p)?.to).toBe('B');
    expect(fixRate({ successes: 1, tries: 1 })).toBeCloseTo(2 / 3);
    expect(fixRate({ successes: 0, tries: 0 })).toBe(0.5);
    expect(bestKnownFix(recordFix(mergeOccurrence(undefined, o(1), 'x'), { strategy: 'retry' }, false, o(1).at))).toBeUndefined();
  });
});
