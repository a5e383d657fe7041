/** A prediction judged: its score, and whether the test failed (at least one failed attempt). */
export type Judged = { score: number; failed: boolean };

/**
 * ROC AUC: the chance that a test that failed scored above one that passed (ties count ½);
 * undefined when there are no failures or no passes. Pure.
 * @example rocAuc([{ score: 0.9, failed: true }, { score: 0.1, failed: false }]) // 1
 */
export function rocAuc(items: readonly Judged[]): number | undefined {
  const sorted = [...items].sort((a, b) => a.score - b.score);
  const positives = sorted.filter((i) => i.failed).length;
  const negatives = sorted.length - positives;
  if (!positives || !negatives) return undefined;
  // Mann–Whitney U from average ranks (ties share their mean rank).
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.score === sorted[i]!.score) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (sorted[k]!.failed) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Of the K highest-scored tests, the share that failed (precision) and the share of all failures
 * they hold (recall). Ties at the cut keep the input order.
 */
export function atTopK(items: readonly Judged[], k: number): { precision: number; recall: number } {
  const top = [...items].sort((a, b) => b.score - a.score).slice(0, k);
  const failures = items.filter((i) => i.failed).length;
  const hits = top.filter((i) => i.failed).length;
  return { precision: top.length ? hits / top.length : 0, recall: failures ? hits / failures : 0 };
}

/** Predicted against observed failure rate in score bands ([0, 0.2), [0.2, 0.4), …): calibration at a glance. */
export function calibration(items: readonly Judged[], bands = 5): Array<{ from: number; to: number; tests: number; predicted: number; observed: number }> {
  const out = Array.from({ length: bands }, (_, b) => ({ from: b / bands, to: (b + 1) / bands, tests: 0, predicted: 0, observed: 0 }));
  for (const i of items) {
    const band = out[Math.min(bands - 1, Math.floor(i.score * bands))]!;
    band.tests++;
    band.predicted += i.score;
    band.observed += i.failed ? 1 : 0;
  }
  return out.map((b) => (b.tests ? { ...b, predicted: b.predicted / b.tests, observed: b.observed / b.tests } : b));
}

/**
 * APFD (average percentage of faults detected) of running tests in `order`, each failing test
 * counted as its own fault: 1 − ΣTFᵢ/(n·m) + 1/(2n), TFᵢ the (1-based) position of failing test
 * i. Higher is better: 1 − 1/(2n) when every failure runs first. Undefined without failures.
 * @example apfd(['a', 'b', 'c', 'd'], new Set(['a'])) // 0.875
 */
export function apfd(order: readonly string[], failing: ReadonlySet<string>): number | undefined {
  const n = order.length;
  let m = 0;
  let positions = 0;
  order.forEach((test, i) => {
    if (failing.has(test)) {
      m++;
      positions += i + 1;
    }
  });
  if (!n || !m) return undefined;
  return 1 - positions / (n * m) + 1 / (2 * n);
}
