import { describe, expect, it } from 'vitest';
import type { Candidate, Fingerprint } from './fingerprint.js';
import { borrowWeights, fitFamilyCredit, fitRanker, toFeatureProblems, type FeatureProblem, type LabelledProblem } from './fitRanker.js';
import { rankCandidates } from './rank.js';
import { FEATURE_NAMES } from './rankFeatures.js';

function rng(seed: number) {
  return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
}
const WORDS = ['home', 'search', 'cart', 'login', 'help', 'news', 'deals', 'sell', 'account', 'menu', 'about', 'jobs'];

/** Pages where the right element keeps its text (mostly) and moves a little; distractors are random. */
function synthetic(groups: number, perGroup: number): LabelledProblem[] {
  const rand = rng(3);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const problems: LabelledProblem[] = [];
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < perGroup; k++) {
      const text = `${pick()} ${pick()}`;
      const x = Math.floor(rand() * 1000);
      const target: Fingerprint = { tag: 'a', text, box: { x, y: 10, width: 80, height: 20 }, xpath: `/html[1]/body[1]/nav[1]/a[${k + 1}]` };
      const candidates: Candidate[] = Array.from({ length: 12 }, (_, i) => ({
        index: i,
        tag: rand() < 0.5 ? 'a' : 'span',
        text: `${pick()} ${pick()}`,
        box: { x: Math.floor(rand() * 1000), y: Math.floor(rand() * 600), width: 80, height: 20 },
        xpath: `/html[1]/body[1]/div[1]/a[${i + 1}]`,
      }));
      const positive = Math.floor(rand() * 12);
      candidates[positive] = {
        index: positive,
        tag: 'a',
        text: rand() < 0.8 ? text : `${text} now`,
        box: { x: x + 5, y: 12, width: 84, height: 20 },
        xpath: `/html[1]/body[1]/header[1]/nav[1]/a[${k + 1}]`,
      };
      problems.push({ group: `app${g}`, target, candidates, positive });
    }
  }
  return problems;
}

describe('fitRanker', () => {
  it('fits a model that ranks held-out pages, with thresholds meeting the precision target out of fold', () => {
    const report = fitRanker(toFeatureProblems(synthetic(4, 15)), { l2Grid: [0.01], precision: 0.95 });
    const { model } = report;
    expect(model.features).toEqual(FEATURE_NAMES);
    expect(model.training?.groups).toEqual(['app0', 'app1', 'app2', 'app3']);
    expect(report.operating.precision).toBeGreaterThanOrEqual(0.95);
    expect(report.outOfFold).toHaveLength(60);
    const fresh = synthetic(5, 15).slice(60);
    const right = fresh.filter((p) => rankCandidates(p.target, p.candidates, { model }).best?.index === p.positive).length;
    expect(right / fresh.length).toBeGreaterThan(0.9);
  });

  it('needs at least two groups to cross-validate', () => {
    expect(() => fitRanker(toFeatureProblems(synthetic(1, 3)))).toThrow(/two groups/);
  });
});

describe('borrowWeights', () => {
  it('gives features the data never exercises their analogue’s weight, else 0', () => {
    const problems = toFeatureProblems(synthetic(4, 5));
    const weights = new Float64Array(FEATURE_NAMES.length).fill(1);
    weights[FEATURE_NAMES.indexOf('text')] = 4;
    const { weights: out, borrowed } = borrowWeights(problems, weights);
    // label ← 1 × text, accessibleName ← 0.5 × text; nothing here has a test id either.
    expect(out[FEATURE_NAMES.indexOf('label')]).toBe(4);
    expect(out[FEATURE_NAMES.indexOf('accessibleName')]).toBe(2);
    expect(borrowed['accessibleName']).toBe('0.5 × text');
    // id has no analogue and no evidence here: 0.
    expect(out[FEATURE_NAMES.indexOf('id')]).toBe(0);
    // Features with evidence keep their own weight.
    expect(out[FEATURE_NAMES.indexOf('text')]).toBe(4);
    expect(out[FEATURE_NAMES.indexOf('tag')]).toBe(1);
  });
});

describe('fitFamilyCredit', () => {
  // Row 0 (the pick) is row 1's child; row 2 stands apart. The softmax splits 0 and 1.
  const scores = Array.from({ length: 20 }, () => [2, 1.5, 0]);
  const problem = (positive: number): FeatureProblem => ({ group: 'g', matrix: new Float64Array(0), rows: 3, positive, parents: Int32Array.from([1, -1, -1]) });

  it('credits the parent fully when the pick within the family is always the right one', () => {
    const problems = scores.map(() => problem(0));
    expect(fitFamilyCredit(problems, scores, 1, Number.NEGATIVE_INFINITY, 0.9)).toBe(1);
  });

  it('credits nothing when the family split is real doubt (the parent is right half the time)', () => {
    const problems = scores.map((_, i) => problem(i % 2));
    expect(fitFamilyCredit(problems, scores, 1, Number.NEGATIVE_INFINITY, 0.9)).toBe(0);
  });
});
