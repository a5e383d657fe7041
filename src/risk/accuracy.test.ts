import { describe, expect, it } from 'vitest';
import { apfd, atTopK, calibration, rocAuc } from './accuracy.js';

const j = (score: number, failed: boolean) => ({ score, failed });

describe('prediction accuracy', () => {
  it('ROC AUC: 1 when every failure scores above every pass, ½ for ties, undefined without both kinds', () => {
    expect(rocAuc([j(0.9, true), j(0.8, true), j(0.1, false)])).toBe(1);
    expect(rocAuc([j(0.1, true), j(0.9, false)])).toBe(0);
    expect(rocAuc([j(0.5, true), j(0.5, false)])).toBe(0.5);
    // 2 failures × 2 passes: pairs (0.8>0.3) (0.8>0.6) (0.4>0.3) (0.4<0.6) → 3/4
    expect(rocAuc([j(0.8, true), j(0.4, true), j(0.3, false), j(0.6, false)])).toBe(0.75);
    expect(rocAuc([j(0.5, false)])).toBeUndefined();
  });

  it('precision and recall at the top K', () => {
    const items = [j(0.9, true), j(0.8, false), j(0.7, true), j(0.1, true)];
    expect(atTopK(items, 2)).toEqual({ precision: 0.5, recall: 1 / 3 });
    expect(atTopK(items, 10)).toEqual({ precision: 0.75, recall: 1 });
  });

  it('calibration bands compare the mean score with the failure rate', () => {
    const bands = calibration([j(0.1, false), j(0.15, true), j(0.9, true)], 2);
    expect(bands[0]).toMatchObject({ tests: 2, observed: 0.5 });
    expect(bands[0]!.predicted).toBeCloseTo(0.125);
    expect(bands[1]).toMatchObject({ tests: 1, predicted: 0.9, observed: 1 });
  });

  it('APFD rewards orders that run failing tests first', () => {
    expect(apfd(['a', 'b', 'c', 'd'], new Set(['a']))).toBe(0.875);
    expect(apfd(['b', 'c', 'd', 'a'], new Set(['a']))).toBe(0.125);
    expect(apfd(['a', 'b'], new Set())).toBeUndefined();
  });
});
