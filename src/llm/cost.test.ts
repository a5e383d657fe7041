import { describe, expect, it } from 'vitest';
import { costOf } from './cost.js';

describe('costOf', () => {
  const price = { inputPerMTok: 0.15, outputPerMTok: 0.6 };
  it('prices prompt and completion tokens per million', () => {
    expect(costOf({ promptTokens: 2_000, completionTokens: 100 }, price)).toBeCloseTo(0.00036, 10);
    expect(costOf({ promptTokens: 1_000_000, completionTokens: 1_000_000 }, price)).toBeCloseTo(0.75, 10);
    expect(costOf({ promptTokens: 0, completionTokens: 0 }, price)).toBe(0);
  });

  it('is 0 for a model without a price (local) and a call without usage', () => {
    expect(costOf({ promptTokens: 5_000, completionTokens: 500 }, undefined)).toBe(0);
    expect(costOf(undefined, price)).toBe(0);
  });
});
