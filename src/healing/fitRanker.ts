// The whole fitting procedure, pure: features → leave-one-group-out scores → L2 strength by
// out-of-fold likelihood → temperature → family credit → thresholds for the precision target → final weights.
// `npm run fit:heal` runs it on the benchmark and writes the model; the bench reruns it inside
// each cross-validation fold so the reported out-of-sample figures include every choice it makes.
import type { Candidate, Fingerprint } from './fingerprint.js';
import { chooseThresholds, fitLogit, fitTemperature, problemScores, type Decision, type Operating, type TrainingProblem } from './fit.js';
import type { RankerModel } from './model.js';
import { parentRows } from './family.js';
import { choose } from './rank.js';
import { extractFeatures, FEATURE_NAMES, FEATURES } from './rankFeatures.js';

const SIGNS = Float64Array.from(FEATURES, (f) => f.sign);

/** A feature needs this much evidence (problems where it is non-zero, and groups) to keep its own weight. */
export const MIN_SUPPORT = { problems: 10, groups: 3 };

const usedCache = new WeakMap<Float64Array, number[]>();

/** The columns that are non-zero in at least one row of a problem. */
function featuresUsed(p: FeatureProblem): number[] {
  const cached = usedCache.get(p.matrix);
  if (cached) return cached;
  const width = FEATURES.length;
  const used: number[] = [];
  for (let f = 0; f < width; f++) {
    for (let i = 0; i < p.rows; i++) {
      if (p.matrix[i * width + f] !== 0) {
        used.push(f);
        break;
      }
    }
  }
  usedCache.set(p.matrix, used);
  return used;
}

/**
 * Weights for features the training data does not exercise enough: the analogue's weight
 * times its share (see FEATURES), else 0. Returns the weights and which ones were borrowed.
 */
export function borrowWeights(problems: readonly FeatureProblem[], weights: Float64Array): { weights: Float64Array; borrowed: Record<string, string> } {
  const width = FEATURES.length;
  const count = new Int32Array(width);
  const groups = FEATURES.map(() => new Set<string>());
  for (const p of problems) {
    for (const f of featuresUsed(p)) {
      count[f]!++;
      groups[f]!.add(p.group);
    }
  }
  const supported = FEATURES.map((_, f) => count[f]! >= MIN_SUPPORT.problems && groups[f]!.size >= MIN_SUPPORT.groups);
  const out = Float64Array.from(weights);
  const borrowed: Record<string, string> = {};
  FEATURES.forEach((feature, f) => {
    if (supported[f]) return;
    const from = feature.analog ? FEATURE_NAMES.indexOf(feature.analog[0]) : -1;
    if (from >= 0 && supported[from]) {
      out[f] = weights[from]! * feature.analog![1];
      borrowed[feature.name] = `${feature.analog![1]} × ${feature.analog![0]}`;
    } else {
      out[f] = 0;
      borrowed[feature.name] = 'none (0)';
    }
  });
  return { weights: out, borrowed };
}

/** One labelled ranking problem; `group` (an app) is the unit of cross-validation. */
export type LabelledProblem = {
  group: string;
  target: Fingerprint;
  candidates: readonly Candidate[];
  /** Position in `candidates` of the right element. */
  positive: number;
};

/** A labelled problem with its feature matrix computed, and each candidate's parent row (family.ts). */
export type FeatureProblem = TrainingProblem & { group: string; parents?: Int32Array };

/**
 * Computes each problem's feature matrix once, for fitting and cross-validation.
 * @example const problems = toFeatureProblems([{ group: 'app', target, candidates, positive: 3 }]);
 */
export function toFeatureProblems(problems: readonly LabelledProblem[]): FeatureProblem[] {
  return problems.map((p) => ({
    group: p.group,
    matrix: extractFeatures(p.target, p.candidates).matrix,
    rows: p.candidates.length,
    positive: p.positive,
    parents: parentRows(p.candidates),
  }));
}

/** Raw (uncalibrated) scores of every problem from a model fitted without its group. */
export function outOfFoldScores(problems: readonly FeatureProblem[], l2: number): Float64Array[] {
  const width = FEATURE_NAMES.length;
  const groups = [...new Set(problems.map((p) => p.group))];
  const scores: Float64Array[] = new Array<Float64Array>(problems.length);
  for (const group of groups) {
    const train = problems.filter((p) => p.group !== group);
    const { weights: w } = borrowWeights(train, fitLogit(train, width, { l2, signs: SIGNS }));
    problems.forEach((p, i) => {
      if (p.group === group) scores[i] = problemScores(p, width, w);
    });
  }
  return scores;
}

/** Decisions (best's confidence and margin, right or not) from raw scores at a temperature. */
export function decisionsOf(
  problems: readonly { positive: number; parents?: Int32Array }[],
  rawScores: readonly ArrayLike<number>[],
  temperature: number,
  absentScore: number,
  familyCredit = 0,
  isRight: (problem: number, row: number) => boolean = (i, row) => problems[i]!.positive === row,
): (Decision & { row: number })[] {
  return rawScores.map((raw, i) => {
    const scores = Float64Array.from(raw, (s) => s / temperature);
    const parents = problems[i]!.parents;
    const c = choose(scores, absentScore, parents ? { parents, credit: familyCredit } : {});
    return { confidence: c.confidence, margin: c.margin, correct: c.best >= 0 && isRight(i, c.best), row: c.best };
  });
}

export type FitOptions = {
  /** L2 strengths to try; the one with the best out-of-fold likelihood wins. */
  l2Grid?: readonly number[];
  /** Precision the default thresholds must reach on out-of-fold decisions. */
  precision?: number;
  /** Score of the imaginary "absent" candidate (a candidate sharing nothing scores about 0). */
  absentScore?: number;
};

export type FitReport = {
  model: RankerModel;
  /** Out-of-fold raw scores with the chosen L2, per problem (for the bench's reliability table). */
  outOfFold: Float64Array[];
  /** What the chosen thresholds did on the out-of-fold decisions. */
  operating: Operating;
  /** Out-of-fold negative log-likelihood per L2 tried. */
  l2Trials: { l2: number; nll: number; temperature: number }[];
};

function meanNll(problems: readonly FeatureProblem[], scores: readonly Float64Array[], temperature: number, absentScore: number): number {
  let sum = 0;
  problems.forEach((p, i) => {
    const c = choose(
      Float64Array.from(scores[i]!, (s) => s / temperature),
      absentScore,
    );
    sum -= Math.log(Math.max(c.probabilities[p.positive]!, 1e-300));
  });
  return sum / Math.max(problems.length, 1);
}

/**
 * The family credit (see family.ts) that lets the most held-out decisions heal at the
 * precision target (thresholds chosen as for the model); among equals, the one whose
 * confidences best predict whether the pick is exactly right (Bernoulli likelihood). The
 * softmax splits a widget's probability between an element and its parent or child; how much
 * of that split is real doubt is an empirical question this answers.
 */
export function fitFamilyCredit(
  problems: readonly FeatureProblem[],
  scores: readonly ArrayLike<number>[],
  temperature: number,
  absentScore: number,
  precision: number,
): number {
  let best = { credit: 0, heals: -1, nll: Number.POSITIVE_INFINITY };
  for (let k = 0; k <= 20; k++) {
    const credit = k / 20;
    const decisions = decisionsOf(problems, scores, temperature, absentScore, credit);
    let nll = 0;
    for (const d of decisions) {
      const c = Math.min(Math.max(d.confidence, 1e-6), 1 - 1e-6);
      nll -= Math.log(d.correct ? c : 1 - c);
    }
    const { heals } = chooseThresholds(decisions, { precision });
    if (heals > best.heals || (heals === best.heals && nll < best.nll - 1e-9)) best = { credit, heals, nll };
  }
  return best.credit;
}

/**
 * Fits the ranker on labelled problems from several groups.
 * @example const { model } = fitRanker(toFeatureProblems(problems), { precision: 0.99 });
 */
export function fitRanker(problems: readonly FeatureProblem[], options: FitOptions = {}): FitReport {
  const { l2Grid = [0.001, 0.003, 0.01, 0.03], precision = 0.99, absentScore = 0 } = options;
  const groups = [...new Set(problems.map((p) => p.group))];
  if (groups.length < 2) throw new Error('fitRanker needs problems from at least two groups to cross-validate');
  let best: { l2: number; nll: number; temperature: number; scores: Float64Array[] } | undefined;
  const l2Trials: FitReport['l2Trials'] = [];
  for (const l2 of l2Grid) {
    const scores = outOfFoldScores(problems, l2);
    const temperature = fitTemperature(
      scores.map((s, i) => ({ scores: s, positive: problems[i]!.positive })),
      { absentScore },
    );
    const nll = meanNll(problems, scores, temperature, absentScore);
    l2Trials.push({ l2, nll, temperature });
    if (!best || nll < best.nll) best = { l2, nll, temperature, scores };
  }
  const chosen = best!;
  const familyCredit = fitFamilyCredit(problems, chosen.scores, chosen.temperature, absentScore, precision);
  const decisions = decisionsOf(problems, chosen.scores, chosen.temperature, absentScore, familyCredit);
  const operating = chooseThresholds(decisions, { precision });
  const { weights, borrowed } = borrowWeights(problems, fitLogit(problems, FEATURE_NAMES.length, { l2: chosen.l2, signs: SIGNS }));
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const model: RankerModel = {
    kind: 'medic-ranker',
    version: 1,
    features: [...FEATURE_NAMES],
    weights: Array.from(weights, round),
    temperature: round(chosen.temperature),
    absentScore,
    familyCredit,
    threshold: Math.min(operating.threshold, 1),
    minMargin: Math.min(operating.minMargin, 1),
    training: {
      method: 'conditional logit (softmax over candidates), L2, leave-one-group-out temperature, family credit and thresholds',
      l2: chosen.l2,
      cases: problems.length,
      groups,
      precisionTarget: precision,
      borrowed,
    },
  };
  return { model, outOfFold: chosen.scores, operating, l2Trials };
}
