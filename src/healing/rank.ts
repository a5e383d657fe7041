import { MedicConfigError } from '../errors.js';
import type { Candidate, Fingerprint } from './fingerprint.js';
import { familyOf, parentRows } from './family.js';
import { compileModel, DEFAULT_MODEL, type RankerModel } from './model.js';
import { extractFeatures, FEATURES } from './rankFeatures.js';

/**
 * How much one feature of one attribute added to a candidate's score. For a similarity,
 * `contribution = weight × (2·similarity − 1)`: an attribute that differs counts against, one
 * that matches counts for. For a flag (best among candidates, only exact match, missing on the
 * candidate) `similarity` is the flag's value (1/k when k candidates share it) and
 * `contribution = weight × similarity`.
 */
export type AttributeContribution = { attribute: string; similarity: number; weight: number; contribution: number };
/** A candidate with its score (the sum of its contributions) and their breakdown. */
export type RankedCandidate = { index: number; score: number; contributions: AttributeContribution[] };
export type RankResult = {
  decision: 'heal' | 'abstain';
  /** Present even when abstaining, if there were candidates. */
  best?: RankedCandidate;
  /** The strongest candidate that is not `best`'s direct parent or child (those are the same widget). */
  runnerUp?: RankedCandidate;
  /** Calibrated probability that `best` is the element, 0..1 (its parent/child credited by the model's `familyCredit`). */
  confidence: number;
  /** Confidence of best minus that of the runner-up (credited the same way with its own parent/child). */
  margin: number;
  /** One human sentence. */
  reason: string;
  /** Best first, top 5. */
  ranked: RankedCandidate[];
};
export type RankOptions = { threshold?: number; minMargin?: number; model?: RankerModel };

/**
 * The choice a set of calibrated scores makes. `runnerUp` is the strongest row outside the
 * best's family (its direct parent and children), `family` those rows, `probabilities` the
 * plain softmax.
 */
export type Choice = { best: number; runnerUp: number; family: number[]; confidence: number; margin: number; probabilities: Float64Array };

/** How the family of the best row counts (see family.ts); without it every row stands alone. */
export type FamilyOptions = {
  /** Row of each row's direct parent, −1 when none (`parentRows`). */
  parents?: ArrayLike<number>;
  /** Share (0..1) of a family member's probability credited to the row it belongs with. */
  credit?: number;
};

/**
 * Softmax over the candidates' calibrated scores plus the imaginary "absent" candidate;
 * ties go to the earlier row (document order). `best` is −1 when there are no rows. The
 * confidence is the best's probability plus `credit` × its family's; the margin is measured
 * against the strongest row outside the family, credited with its own family the same way.
 * @example choose([4, 1], 0).best // 0
 */
export function choose(scores: ArrayLike<number>, absentScore: number, options: FamilyOptions = {}): Choice {
  const n = scores.length;
  const { parents, credit = 0 } = options;
  let max = absentScore;
  for (let i = 0; i < n; i++) max = Math.max(max, scores[i]!);
  const probabilities = new Float64Array(n);
  let z = Math.exp(absentScore - max);
  for (let i = 0; i < n; i++) {
    probabilities[i] = Math.exp(scores[i]! - max);
    z += probabilities[i]!;
  }
  let best = -1;
  for (let i = 0; i < n; i++) {
    probabilities[i] = probabilities[i]! / z;
    if (best < 0 || scores[i]! > scores[best]!) best = i;
  }
  const family = parents && best >= 0 ? familyOf(parents, best) : [];
  const taken = new Set([best, ...family]);
  let runnerUp = -1;
  for (let i = 0; i < n; i++) if (!taken.has(i) && (runnerUp < 0 || scores[i]! > scores[runnerUp]!)) runnerUp = i;
  const credited = (row: number) => {
    let p = probabilities[row]!;
    if (parents && credit > 0) for (const j of familyOf(parents, row)) if (row === best || !taken.has(j)) p += credit * probabilities[j]!;
    return p;
  };
  const confidence = best >= 0 ? credited(best) : 0;
  const second = runnerUp >= 0 ? credited(runnerUp) : 0;
  return { best, runnerUp, family, confidence, margin: confidence - second, probabilities };
}

function checkOption(name: 'threshold' | 'minMargin', value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new MedicConfigError(`healing.${name} must be a number from 0 to 1, got ${String(value)}`, {
      fix: `set healing.${name} between 0 and 1 (the built-in model's default is ${DEFAULT_MODEL[name]})`,
    });
  }
  return value;
}

/** The thresholds a heal must pass: the options' or the model's, checked. */
export function rankThresholds(options: RankOptions = {}): { threshold: number; minMargin: number } {
  const model = options.model ?? DEFAULT_MODEL;
  return { threshold: checkOption('threshold', options.threshold ?? model.threshold), minMargin: checkOption('minMargin', options.minMargin ?? model.minMargin) };
}

const SPOKEN: Readonly<Record<string, string>> = {
  box: 'position',
  idXpath: 'id-relative XPath',
  xpath: 'XPath',
  visibleText: 'visible text',
  accessibleName: 'accessible name',
  testIds: 'test id',
  isButton: 'button-ness',
  neighbors: 'neighbour texts',
  identifiers: 'id/class words',
};

function spokenList(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The attributes that added the most to a candidate's score, in plain words. */
function strongestAttributes(features: readonly { f: number; contribution: number }[], count = 3): string[] {
  const byAttribute = new Map<string, number>();
  for (const { f, contribution } of features) {
    const attribute = FEATURES[f]!.attribute;
    byAttribute.set(attribute, (byAttribute.get(attribute) ?? 0) + contribution);
  }
  return [...byAttribute]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name]) => SPOKEN[name] ?? name);
}

const fmt = (v: number) => v.toFixed(2);

/**
 * Ranks the candidates of a changed page against the fingerprint of the element a locator
 * used to find, and decides whether the best one is safe to heal to: its calibrated
 * confidence must reach `threshold` and beat the runner-up by `minMargin` (defaults: the
 * model's cross-validated values). Every score comes with its per-attribute breakdown.
 * @example
 * const result = rankCandidates(stored, candidates);
 * if (result.decision === 'heal') use(candidates[result.best!.index]);
 */
export function rankCandidates(target: Fingerprint, candidates: readonly Candidate[], options: RankOptions = {}): RankResult {
  const first = rankOnce(target, candidates, options);
  if (first.decision === 'heal') return first;
  const stateless = withoutValueText(target);
  if (!stateless) return first;
  // A number on its own (a badge's count, a price, a total) is the element's state, not its
  // name: when it no longer matches, the element is looked for by everything else it is.
  const second = rankOnce(stateless, candidates, options);
  if (second.decision !== 'heal') return first;
  return { ...second, reason: `${second.reason}; its text, ${JSON.stringify(target.text ?? target.visibleText ?? target.accessibleName)}, is a value and was not compared` };
}

/** Text that is only a number (`3`, `$45.00`, `-12 %`, `1,024`): a value the page shows, not what the element is. */
const VALUE_TEXT = /^[\p{Sc}+\-−#(]?\s*\d[\d\s.,:/]*\s*[%)]?$/u;

/**
 * The fingerprint without its text fields when they are a value (VALUE_TEXT); undefined when
 * it has no such text.
 * @example withoutValueText({ tag: 'span', text: '3' }) // { tag: 'span' }
 */
export function withoutValueText(target: Fingerprint): Fingerprint | undefined {
  const fields = ['text', 'visibleText', 'accessibleName'] as const;
  const values = fields.filter((f) => target[f] !== undefined && VALUE_TEXT.test(target[f]!.trim()));
  if (values.length === 0) return undefined;
  const stripped: Fingerprint = { ...target };
  for (const f of values) delete stripped[f];
  return stripped;
}

function scoreAll(target: Fingerprint, candidates: readonly Candidate[], weights: ArrayLike<number>) {
  const { matrix, width } = extractFeatures(target, candidates);
  const scores = new Float64Array(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    let s = 0;
    for (let f = 0; f < width; f++) s += matrix[i * width + f]! * weights[f]!;
    scores[i] = s;
  }
  return { matrix, width, scores };
}

/**
 * Each candidate's calibrated probability of being the element (the plain softmax of
 * `choose`, with the model's "absent" candidate taking the rest), in the candidates' order.
 * @example candidateProbabilities(stored, candidates)[0] // 0.93
 */
export function candidateProbabilities(target: Fingerprint, candidates: readonly Candidate[], model: RankerModel = DEFAULT_MODEL): Float64Array {
  const compiled = compileModel(model);
  return choose(scoreAll(target, candidates, compiled.weights).scores, compiled.model.absentScore).probabilities;
}

function rankOnce(target: Fingerprint, candidates: readonly Candidate[], options: RankOptions): RankResult {
  const { model, weights } = compileModel(options.model ?? DEFAULT_MODEL);
  const { threshold, minMargin } = rankThresholds(options);
  if (candidates.length === 0) {
    return { decision: 'abstain', confidence: 0, margin: 0, reason: 'abstained: there are no candidates to choose from', ranked: [] };
  }
  const { matrix, width, scores } = scoreAll(target, candidates, weights);
  const choice = choose(scores, model.absentScore, { parents: parentRows(candidates), credit: model.familyCredit ?? 0 });
  const order = Array.from(scores.keys())
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, 5);
  const explain = (row: number) => {
    const features: { f: number; contribution: AttributeContribution }[] = [];
    for (let f = 0; f < width; f++) {
      const value = matrix[row * width + f]!;
      if (value === 0 || weights[f] === 0) continue;
      const info = FEATURES[f]!;
      const similarity = info.kind === 'similarity' ? (value + 1) / 2 : value;
      features.push({ f, contribution: { attribute: info.label, similarity, weight: weights[f]!, contribution: value * weights[f]! } });
    }
    return features.sort((a, b) => Math.abs(b.contribution.contribution) - Math.abs(a.contribution.contribution));
  };
  const bestFeatures = explain(order[0]!);
  const ranked = order.map(
    (row, i): RankedCandidate => ({
      index: candidates[row]!.index,
      score: scores[row]!,
      contributions: (i === 0 ? bestFeatures : explain(row)).map((x) => x.contribution),
    }),
  );
  const best = ranked[0]!;
  const rankedRow = (row: number): RankedCandidate => ranked[order.indexOf(row)] ?? { index: candidates[row]!.index, score: scores[row]!, contributions: explain(row).map((x) => x.contribution) };
  const runnerUp = choice.runnerUp >= 0 ? rankedRow(choice.runnerUp) : undefined;
  const { confidence, margin } = choice;
  const base = { best, ...(runnerUp ? { runnerUp } : {}), confidence, margin, ranked };
  const numbers = `(confidence ${fmt(confidence)}, margin ${fmt(margin)})`;
  const strongest = strongestAttributes(bestFeatures.map((x) => ({ f: x.f, contribution: x.contribution.contribution })));

  if (strongest.length === 0) {
    return { ...base, decision: 'abstain', reason: `abstained: no candidate matches the stored fingerprint on any attribute ${numbers}` };
  }
  if (runnerUp && margin < minMargin && scores[choice.runnerUp] === scores[choice.best]) {
    return { ...base, decision: 'abstain', reason: `abstained: two candidates are equally likely ${numbers}` };
  }
  if (confidence < threshold) {
    return {
      ...base,
      decision: 'abstain',
      reason: `abstained: the best candidate matches ${spokenList(strongest)} but its confidence ${fmt(confidence)} is below the threshold ${fmt(threshold)}`,
    };
  }
  if (margin < minMargin) {
    return {
      ...base,
      decision: 'abstain',
      reason: `abstained: the runner-up is too close to the best candidate (margin ${fmt(margin)} below ${fmt(minMargin)}, confidence ${fmt(confidence)})`,
    };
  }
  return { ...base, decision: 'heal', reason: `best candidate matches ${spokenList(strongest)} ${numbers}` };
}

/**
 * The `k` candidates most likely to be the element, most likely first (what the LLM layer is
 * shown when the ranker abstains).
 * @example topCandidates(stored, candidates, 8)[0]?.index
 */
export function topCandidates(target: Fingerprint, candidates: readonly Candidate[], k: number, model: RankerModel = DEFAULT_MODEL): Candidate[] {
  const p = candidateProbabilities(target, candidates, model);
  return Array.from(p.keys())
    .sort((a, b) => p[b]! - p[a]! || a - b)
    .slice(0, k)
    .map((row) => candidates[row]!);
}
