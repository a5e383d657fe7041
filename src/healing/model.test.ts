import { describe, expect, it } from 'vitest';
import { isMedicConfigError } from '../errors.js';
import { compileModel, DEFAULT_MODEL, rankerModelSchema, type RankerModel } from './model.js';
import { FEATURE_NAMES, FEATURES } from './rankFeatures.js';

describe('the shipped model', () => {
  it('is valid and was fitted on the features this build computes (re-run `npm run fit:heal` if not)', () => {
    expect(rankerModelSchema.safeParse(DEFAULT_MODEL).success).toBe(true);
    expect(DEFAULT_MODEL.features).toEqual(FEATURE_NAMES);
  });

  it('keeps the weight signs: matching counts for, a missing attribute only against', () => {
    DEFAULT_MODEL.features.forEach((name, i) => {
      const info = FEATURES.find((f) => f.name === name)!;
      expect(DEFAULT_MODEL.weights[i]! * info.sign, name).toBeGreaterThanOrEqual(0);
    });
    expect(DEFAULT_MODEL.weights.some((w) => w > 0)).toBe(true);
  });

  it('has thresholds in 0..1 and a positive temperature', () => {
    expect(DEFAULT_MODEL.threshold).toBeGreaterThanOrEqual(0);
    expect(DEFAULT_MODEL.threshold).toBeLessThanOrEqual(1);
    expect(DEFAULT_MODEL.minMargin).toBeGreaterThanOrEqual(0);
    expect(DEFAULT_MODEL.temperature).toBeGreaterThan(0);
  });
});

describe('compileModel', () => {
  const model: RankerModel = { kind: 'medic-ranker', version: 1, features: ['zzz', 'text'], weights: [5, 3], temperature: 2, absentScore: 0, threshold: 0.9, minMargin: 0.1 };

  it('aligns weights with this build, divided by the temperature, ignoring unknown features', () => {
    const { weights } = compileModel(model);
    expect(weights).toHaveLength(FEATURE_NAMES.length);
    expect(weights[FEATURE_NAMES.indexOf('text')]).toBe(1.5);
    expect([...weights].filter((w) => w !== 0)).toEqual([1.5]);
    expect(compileModel(model)).toBe(compileModel(model));
  });

  it('throws a config error naming the problem for an invalid model', () => {
    let error: unknown;
    try {
      compileModel({ ...model, temperature: -1 });
    } catch (e) {
      error = e;
    }
    expect(isMedicConfigError(error)).toBe(true);
    expect(String(error)).toMatch(/temperature/);
    expect(String(error)).toMatch(/fit:heal/);
  });
});
