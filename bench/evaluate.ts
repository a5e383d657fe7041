// Evaluation of the ranker and the Similo baseline on benchmark cases: real ranking calls,
// timed, summarised; and the nested leave-one-app-out cross-validation.
import { fitRanker, toFeatureProblems, type FitOptions, type FitReport } from '../src/healing/fitRanker.js';
import type { RankerModel } from '../src/healing/model.js';
import { rankCandidates } from '../src/healing/rank.js';
import { similoRank } from '../src/healing/similo.js';
import type { BenchApp, BenchCase } from './load.js';

/** What one ranker did on one case. */
export type CaseResult = {
  id: string;
  app: string;
  /** Index of the top-ranked candidate (undefined: none). */
  pick: number | undefined;
  heal: boolean;
  confidence: number;
  margin: number;
  strict: boolean;
  lenient: boolean;
  ms: number;
};

function judge(c: BenchCase, pick: number | undefined) {
  return { strict: pick === c.expected, lenient: pick !== undefined && c.accept.includes(pick) };
}

export type Thresholds = { threshold: number; minMargin: number };

/** Runs our ranker on every case (at the model's default thresholds unless given), timing each call. */
export function runMedic(cases: readonly BenchCase[], model: RankerModel, thresholds?: Thresholds): CaseResult[] {
  return cases.map((c) => {
    const start = performance.now();
    const r = rankCandidates(c.target, c.candidates, { model, ...thresholds });
    const ms = performance.now() - start;
    const pick = r.best?.index;
    return { id: c.id, app: c.app, pick, heal: r.decision === 'heal', confidence: r.confidence, margin: r.margin, ...judge(c, pick), ms };
  });
}

/** Runs the Similo baseline (it always picks, so it always "heals"). */
export function runSimilo(cases: readonly BenchCase[]): CaseResult[] {
  return cases.map((c) => {
    const start = performance.now();
    const { best } = similoRank(c.target, c.candidates);
    const ms = performance.now() - start;
    return { id: c.id, app: c.app, pick: best, heal: best !== undefined, confidence: 1, margin: 1, ...judge(c, best), ms };
  });
}

/** The same cases with the right element (and its accepted parent/child) removed from the page. */
export function withoutTheElement(cases: readonly BenchCase[]): BenchCase[] {
  return cases.map((c) => ({ ...c, id: `${c.id}/removed`, candidates: c.candidates.filter((x) => !c.accept.includes(x.index)), expected: -1, accept: [] }));
}

export type Summary = {
  cases: number;
  top1: number;
  top1Lenient: number;
  heals: number;
  wrong: number;
  wrongLenient: number;
  coverage: number;
  precision: number;
  precisionLenient: number;
};

export function summarize(results: readonly CaseResult[]): Summary {
  const n = results.length;
  const healed = results.filter((r) => r.heal);
  const wrong = healed.filter((r) => !r.strict).length;
  const wrongLenient = healed.filter((r) => !r.lenient).length;
  return {
    cases: n,
    top1: n ? results.filter((r) => r.strict).length / n : 0,
    top1Lenient: n ? results.filter((r) => r.lenient).length / n : 0,
    heals: healed.length,
    wrong,
    wrongLenient,
    coverage: n ? healed.length / n : 0,
    precision: healed.length ? (healed.length - wrong) / healed.length : 1,
    precisionLenient: healed.length ? (healed.length - wrongLenient) / healed.length : 1,
  };
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

/** Calibration check: mean confidence against the share right, per confidence bin. */
export function reliability(results: readonly CaseResult[], edges = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0000001]) {
  const rows = [];
  for (let i = 0; i < edges.length - 1; i++) {
    const bin = results.filter((r) => r.confidence >= edges[i]! && r.confidence < edges[i + 1]!);
    if (!bin.length) continue;
    rows.push({
      from: edges[i]!,
      to: Math.min(edges[i + 1]!, 1),
      n: bin.length,
      meanConfidence: bin.reduce((s, r) => s + r.confidence, 0) / bin.length,
      accuracy: bin.filter((r) => r.strict).length / bin.length,
    });
  }
  const ece = rows.reduce((s, r) => s + (r.n / results.length) * Math.abs(r.meanConfidence - r.accuracy), 0);
  return { rows, ece };
}

/**
 * The most heals any single confidence threshold could give at a precision target, the threshold
 * chosen with hindsight on these very results (an oracle: a ceiling for the ordering the
 * confidences make, not a result). Heals go to the most confident first; ties heal together.
 * @example coverageCeiling(results, 0.99).heals
 */
export function coverageCeiling(results: readonly CaseResult[], precision: number): { heals: number; wrong: number; coverage: number; threshold: number } {
  const sorted = [...results].sort((a, b) => b.confidence - a.confidence);
  let best = { heals: 0, wrong: 0, coverage: 0, threshold: 1 };
  let wrong = 0;
  sorted.forEach((r, k) => {
    if (!r.strict) wrong++;
    const heals = k + 1;
    const tiedWithNext = k + 1 < sorted.length && sorted[k + 1]!.confidence === r.confidence;
    if (!tiedWithNext && (heals - wrong) / heals >= precision) best = { heals, wrong, coverage: heals / sorted.length, threshold: r.confidence };
  });
  return best;
}

/** Labelled problems for fitting, one per case, grouped by app. */
export function problemsOf(apps: readonly BenchApp[]) {
  return apps.flatMap((a) => a.cases.map((c) => ({ group: a.app, target: c.target, candidates: c.candidates, positive: c.expected })));
}

/** Fits on all apps: the model `npm run fit:heal` ships. */
export function fitOnApps(apps: readonly BenchApp[], options: FitOptions = {}): FitReport {
  return fitRanker(toFeatureProblems(problemsOf(apps)), options);
}

export type FoldResult = {
  app: string;
  model: RankerModel;
  /** At the fold model's own thresholds. */
  results: CaseResult[];
  /** The same cases with the element removed from the page. */
  removed: CaseResult[];
  /** At the thresholds given as `alsoAt`, if any. */
  alsoAt: CaseResult[];
};

/**
 * Nested leave-one-app-out cross-validation: for each app, the whole fitting procedure (its
 * own inner cross-validation for L2, temperature and thresholds) runs on the other apps only;
 * the held-out app is then ranked with that model and its thresholds.
 */
export function crossValidate(
  apps: readonly BenchApp[],
  options: FitOptions & { alsoAt?: Thresholds; onFold?: (app: string) => void } = {},
): FoldResult[] {
  const { onFold, ...foldOptions } = options;
  return apps.map((held) => {
    onFold?.(held.app);
    return crossValidateFold(apps, held.app, foldOptions);
  });
}

/** One fold of `crossValidate`: the whole fit on every app but `heldApp`, then that app ranked with it. */
export function crossValidateFold(apps: readonly BenchApp[], heldApp: string, options: FitOptions & { alsoAt?: Thresholds } = {}): FoldResult {
  const { alsoAt, ...fitOptions } = options;
  const held = apps.find((a) => a.app === heldApp)!;
  const { model } = fitRanker(
    toFeatureProblems(problemsOf(apps)).filter((p) => p.group !== heldApp),
    fitOptions,
  );
  return {
    app: held.app,
    model,
    results: runMedic(held.cases, model),
    removed: runMedic(withoutTheElement(held.cases), model),
    alsoAt: alsoAt ? runMedic(held.cases, model, alsoAt) : [],
  };
}
