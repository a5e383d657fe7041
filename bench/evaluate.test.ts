import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitTemperature } from '../src/healing/fit.js';
import { decisionsOf, outOfFoldScores, toFeatureProblems } from '../src/healing/fitRanker.js';
import { DEFAULT_MODEL } from '../src/healing/model.js';
import { coverageCeiling, percentile, problemsOf, reliability, summarize, withoutTheElement, type CaseResult } from './evaluate.js';
import { loadApps, type BenchCase } from './load.js';

const result = (strict: boolean, heal: boolean, lenient = strict, confidence = 0.9): CaseResult => ({
  id: 'x',
  app: 'a',
  pick: 0,
  heal,
  confidence,
  margin: 0.5,
  strict,
  lenient,
  ms: 1,
});

describe('summarize', () => {
  it('counts top-1, coverage, precision and wrong heals, strict and lenient', () => {
    const s = summarize([result(true, true), result(false, true, true), result(false, true), result(false, false), result(true, false)]);
    expect(s).toMatchObject({ cases: 5, top1: 0.4, top1Lenient: 0.6, heals: 3, wrong: 2, wrongLenient: 1, coverage: 0.6 });
    expect(s.precision).toBeCloseTo(1 / 3);
    expect(s.precisionLenient).toBeCloseTo(2 / 3);
  });
});

it('percentile and reliability', () => {
  expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
  const rel = reliability([result(true, true, true, 0.995), result(false, true, false, 0.995), result(true, true, true, 0.3)]);
  expect(rel.rows).toHaveLength(2);
  expect(rel.rows[1]).toMatchObject({ n: 2, accuracy: 0.5 });
});

it('coverage ceiling: the most heals, most confident first, that keep the precision target', () => {
  const rs = [result(true, true, true, 0.99), result(true, true, true, 0.9), result(false, true, false, 0.8), result(true, true, true, 0.7), result(true, true, true, 0.6)];
  expect(coverageCeiling(rs, 0.99)).toMatchObject({ heals: 2, wrong: 0, threshold: 0.9 });
  expect(coverageCeiling(rs, 0.75)).toMatchObject({ heals: 5, wrong: 1, coverage: 1, threshold: 0.6 });
  // Ties heal together: a wrong pick tied with a right one cannot be left out.
  const tied = [result(true, true, true, 0.9), result(false, true, false, 0.9)];
  expect(coverageCeiling(tied, 0.99)).toMatchObject({ heals: 0, threshold: 1 });
});

it('removes the right element and its accepted parent/child', () => {
  const c: BenchCase = { id: 'A/0', app: 'A', target: {}, candidates: [0, 1, 2, 3].map((index) => ({ index })), expected: 1, accept: [1, 2] };
  expect(withoutTheElement([c])[0]!.candidates.map((x) => x.index)).toEqual([0, 3]);
});

const data = process.env.MEDIC_BENCH_DATA ?? '/work/shared/benchmarks/locator-relocation';

describe.skipIf(!existsSync(data))('cross-validation on the development split (quick: shipped L2, no nesting)', () => {
  it('beats Similo out of sample and keeps heals precise at the shipped thresholds', () => {
    const apps = loadApps(data);
    const problems = toFeatureProblems(problemsOf(apps));
    const scores = outOfFoldScores(problems, DEFAULT_MODEL.training?.l2 ?? 0.001);
    const temperature = fitTemperature(
      scores.map((s, i) => ({ scores: s, positive: problems[i]!.positive })),
      { absentScore: DEFAULT_MODEL.absentScore },
    );
    const decisions = decisionsOf(problems, scores, temperature, DEFAULT_MODEL.absentScore, DEFAULT_MODEL.familyCredit ?? 0);
    const top1 = decisions.filter((d) => d.correct).length / decisions.length;
    const heals = decisions.filter((d) => d.confidence >= DEFAULT_MODEL.threshold && d.margin >= DEFAULT_MODEL.minMargin);
    expect(top1).toBeGreaterThan(182 / 208);
    expect(heals.filter((d) => d.correct).length / heals.length).toBeGreaterThanOrEqual(0.98);
    expect(heals.length / decisions.length).toBeGreaterThan(0.6);
  }, 20_000);
});
