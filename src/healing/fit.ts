// Fitting the ranker: a conditional logit (softmax over the candidates of one ranking problem,
// a.k.a. listwise logistic regression) with L2, optimised by L-BFGS; then a one-parameter
// temperature for calibration and a threshold search. Pure numeric code: the script that reads
// data and writes the model file lives in bench/fit.ts.

/** One ranking problem with its features: row `positive` is the right candidate. */
export type TrainingProblem = {
  /** Row-major, `rows × width`. */
  matrix: Float64Array;
  rows: number;
  positive: number;
  /** How much this problem counts in the loss (default 1). */
  weight?: number;
};

/** Non-zero entries of a problem's matrix, row by row (features are mostly 0). */
type Sparse = { start: Int32Array; col: Int32Array; val: Float64Array };
const sparseCache = new WeakMap<Float64Array, Sparse>();

function sparseOf(problem: TrainingProblem, width: number): Sparse {
  const cached = sparseCache.get(problem.matrix);
  if (cached) return cached;
  const { matrix, rows } = problem;
  let nnz = 0;
  for (let k = 0; k < rows * width; k++) if (matrix[k] !== 0) nnz++;
  const start = new Int32Array(rows + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    start[i] = at;
    for (let f = 0; f < width; f++) {
      const v = matrix[i * width + f]!;
      if (v !== 0) {
        col[at] = f;
        val[at++] = v;
      }
    }
  }
  start[rows] = at;
  const sparse = { start, col, val };
  sparseCache.set(problem.matrix, sparse);
  return sparse;
}

function scoresOf(problem: TrainingProblem, width: number, w: Float64Array, out: Float64Array): void {
  const { start, col, val } = sparseOf(problem, width);
  for (let i = 0; i < problem.rows; i++) {
    let s = 0;
    for (let k = start[i]!; k < start[i + 1]!; k++) s += val[k]! * w[col[k]!]!;
    out[i] = s;
  }
}

/** Negative mean log-likelihood plus ½·l2·|w|² (the bias-free softmax needs no intercept), and its gradient. */
export function logitLoss(problems: readonly TrainingProblem[], width: number, w: Float64Array, l2: number, grad?: Float64Array): number {
  let loss = 0;
  let total = 0;
  if (grad) grad.fill(0);
  const maxRows = problems.reduce((m, p) => Math.max(m, p.rows), 0);
  const scores = new Float64Array(maxRows);
  for (const problem of problems) {
    const weight = problem.weight ?? 1;
    total += weight;
    scoresOf(problem, width, w, scores);
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < problem.rows; i++) if (scores[i]! > max) max = scores[i]!;
    let z = 0;
    for (let i = 0; i < problem.rows; i++) z += Math.exp(scores[i]! - max);
    loss += weight * (max + Math.log(z) - scores[problem.positive]!);
    if (grad) {
      const { start, col, val } = sparseOf(problem, width);
      for (let i = 0; i < problem.rows; i++) {
        const p = Math.exp(scores[i]! - max) / z - (i === problem.positive ? 1 : 0);
        if (p === 0) continue;
        for (let k = start[i]!; k < start[i + 1]!; k++) grad[col[k]!]! += weight * p * val[k]!;
      }
    }
  }
  if (total === 0) return 0;
  loss /= total;
  let norm = 0;
  for (let f = 0; f < width; f++) norm += w[f]! * w[f]!;
  if (grad) for (let f = 0; f < width; f++) grad[f] = grad[f]! / total + l2 * w[f]!;
  return loss + 0.5 * l2 * norm;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Minimises a smooth convex function with projected L-BFGS: `signs[i]` = +1 keeps x[i] ≥ 0,
 * −1 keeps it ≤ 0, 0 leaves it free. Variables held at their bound by the gradient are left
 * out of the quasi-Newton step; the step is projected and backtracked (Armijo).
 * @example minimize((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, new Float64Array(1))
 */
export function minimize(
  f: (x: Float64Array, grad: Float64Array) => number,
  start: Float64Array,
  options: { iterations?: number; memory?: number; tolerance?: number; signs?: ArrayLike<number> } = {},
): Float64Array {
  const { iterations = 500, memory = 10, tolerance = 1e-8 } = options;
  const n = start.length;
  const signs = options.signs ?? new Float64Array(n);
  const project = (v: Float64Array) => {
    for (let i = 0; i < n; i++) if (signs[i]! * v[i]! < 0) v[i] = 0;
    return v;
  };
  let x = project(Float64Array.from(start));
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const free = new Uint8Array(n);
  let previousFree = '';
  for (let it = 0; it < iterations; it++) {
    // A bounded variable at 0 whose gradient pushes it out of bounds stays put this step.
    for (let i = 0; i < n; i++) free[i] = signs[i] !== 0 && x[i] === 0 && signs[i]! * g[i]! > 0 ? 0 : 1;
    const key = free.join('');
    if (key !== previousFree) {
      S.length = 0;
      Y.length = 0;
      previousFree = key;
    }
    // Two-loop recursion on the free variables: d = −H·g.
    const q = g.map((v, i) => (free[i] ? v : 0));
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = dot(S[k]!, q) / dot(Y[k]!, S[k]!);
      alpha[k] = a;
      for (let i = 0; i < n; i++) q[i] = q[i]! - a * Y[k]![i]!;
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) q[i] = q[i]! * gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const b = dot(Y[k]!, q) / dot(Y[k]!, S[k]!);
      for (let i = 0; i < n; i++) q[i] = q[i]! + S[k]![i]! * (alpha[k]! - b);
    }
    const d = q.map((v, i) => (free[i] ? -v : 0));
    if (dot(d, g) >= 0) {
      // Not a descent direction: restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i]! : 0;
    }
    if (dot(d, d) === 0) break;
    let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = fx;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      project(xNew);
      fNew = f(xNew, gNew);
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i]! * (xNew[i]! - x[i]!);
      if (fNew <= fx + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
    const sk = xNew.map((v, i) => v - x[i]!);
    const yk = gNew.map((v, i) => v - g[i]!);
    if (dot(sk, yk) > 1e-12) {
      S.push(sk);
      Y.push(yk);
      if (S.length > memory) {
        S.shift();
        Y.shift();
      }
    }
    const improvement = fx - fNew;
    x = xNew;
    g = gNew;
    fx = fNew;
    if (improvement < tolerance * Math.max(1, Math.abs(fx))) break;
  }
  return x;
}

/**
 * Fits the conditional logit; returns one weight per feature column. `signs[f]` = +1 keeps
 * weight f ≥ 0, −1 keeps it ≤ 0, 0 leaves it free (a similarity that matches more can then
 * never lower a score).
 */
export function fitLogit(
  problems: readonly TrainingProblem[],
  width: number,
  options: { l2: number; iterations?: number; signs?: ArrayLike<number> },
): Float64Array {
  return minimize((w, grad) => logitLoss(problems, width, w, options.l2, grad), new Float64Array(width), {
    iterations: options.iterations ?? 1000,
    ...(options.signs ? { signs: options.signs } : {}),
  });
}

/** Raw scores of each candidate of a problem, for out-of-fold calibration. */
export function problemScores(problem: TrainingProblem, width: number, w: Float64Array): Float64Array {
  const out = new Float64Array(problem.rows);
  scoresOf(problem, width, w, out);
  return out;
}

/** Softmax of scores divided by a temperature. */
export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(scores.length);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]!);
  let z = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp((scores[i]! - max) / temperature);
    z += out[i]!;
  }
  for (let i = 0; i < scores.length; i++) out[i] = out[i]! / z;
  return out;
}

/** A scored problem held out of the fit: raw scores and the right row. */
export type HeldOut = { scores: ArrayLike<number>; positive: number };

/**
 * The temperature that maximises the likelihood of held-out problems (golden-section search
 * on log T): softmax(scores / T) is then calibrated on data the weights never saw. With
 * `absentScore`, an extra "absent" option with that (already calibrated) score takes part.
 */
export function fitTemperature(heldOut: readonly HeldOut[], options: { absentScore?: number; range?: [number, number] } = {}): number {
  const { absentScore, range = [0.05, 20] } = options;
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let sum = 0;
    for (const h of heldOut) {
      let max = absentScore ?? Number.NEGATIVE_INFINITY;
      for (let i = 0; i < h.scores.length; i++) max = Math.max(max, h.scores[i]! / t);
      let z = absentScore === undefined ? 0 : Math.exp(absentScore - max);
      for (let i = 0; i < h.scores.length; i++) z += Math.exp(h.scores[i]! / t - max);
      sum -= h.scores[h.positive]! / t - max - Math.log(z);
    }
    return sum;
  };
  let lo = Math.log(range[0]);
  let hi = Math.log(range[1]);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** One held-out decision: the best candidate's calibrated confidence, its margin, and whether it was right. */
export type Decision = { confidence: number; margin: number; correct: boolean };

/** What healing at given thresholds would have done. */
export type Operating = {
  threshold: number;
  minMargin: number;
  heals: number;
  wrong: number;
  coverage: number;
  precision: number;
  /** Mean calibrated confidence of the heals: the precision the model itself expects. */
  expectedPrecision: number;
};

/** Outcome of healing every decision with confidence ≥ threshold and margin ≥ minMargin. */
export function operatingPoint(decisions: readonly Decision[], threshold: number, minMargin: number): Operating {
  let heals = 0;
  let wrong = 0;
  let confidence = 0;
  for (const d of decisions) {
    if (d.confidence >= threshold && d.margin >= minMargin) {
      heals++;
      confidence += d.confidence;
      if (!d.correct) wrong++;
    }
  }
  return {
    threshold,
    minMargin,
    heals,
    wrong,
    coverage: decisions.length ? heals / decisions.length : 0,
    precision: heals ? (heals - wrong) / heals : 1,
    expectedPrecision: heals ? confidence / heals : 1,
  };
}

/**
 * The thresholds with the most coverage whose precision meets the target on held-out
 * decisions — both the precision observed and the one the calibrated confidences expect, so
 * the choice rests on the whole confidence distribution rather than on where the few wrong
 * picks happen to fall. Among equals, the strictest (highest threshold, then margin).
 */
export function chooseThresholds(
  decisions: readonly Decision[],
  options: { precision: number; thresholds?: readonly number[]; margins?: readonly number[] },
): Operating {
  const thresholds = options.thresholds ?? Array.from({ length: 101 }, (_, i) => i / 100);
  const margins = options.margins ?? Array.from({ length: 101 }, (_, i) => i / 100);
  let best: Operating | undefined;
  for (const threshold of thresholds) {
    for (const minMargin of margins) {
      const op = operatingPoint(decisions, threshold, minMargin);
      if (op.precision < options.precision || op.expectedPrecision < options.precision) continue;
      if (!best || op.heals > best.heals || (op.heals === best.heals && op.threshold + op.minMargin > best.threshold + best.minMargin)) best = op;
    }
  }
  // Precision is unreachable: the strictest setting there is.
  return best ?? operatingPoint(decisions, 1, 1);
}
