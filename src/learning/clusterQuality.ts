// How well a clustering agrees with ground-truth labels: purity, inverse purity and the adjusted
// Rand index (Hubert and Arabie, 1985). Pure; used by the learning acceptance and bench:cluster.

/** One item: the cluster it was put in and the label it truly has. */
export type Assignment = { cluster: string; label: string };

/** Items counted by `by`, then within each group by `within`. */
function countBy(items: readonly Assignment[], by: keyof Assignment, within: keyof Assignment): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const a of items) {
    const group = out.get(a[by]) ?? new Map<string, number>();
    group.set(a[within], (group.get(a[within]) ?? 0) + 1);
    out.set(a[by], group);
  }
  return out;
}

const majoritySum = (groups: Map<string, Map<string, number>>) => [...groups.values()].reduce((n, g) => n + Math.max(...g.values()), 0);

/** Share of items whose cluster's majority label is theirs: 1 when no cluster mixes labels. 1 for no items. */
export function purity(items: readonly Assignment[]): number {
  return items.length ? majoritySum(countBy(items, 'cluster', 'label')) / items.length : 1;
}

/** Share of items whose label's majority cluster is theirs: 1 when every label is one cluster. 1 for no items. */
export function inversePurity(items: readonly Assignment[]): number {
  return items.length ? majoritySum(countBy(items, 'label', 'cluster')) / items.length : 1;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/**
 * The adjusted Rand index: pair agreement between clusters and labels, corrected for chance;
 * 1 for the same partition, about 0 for a random one (it can go below). 1 when both partitions
 * are trivial in the same way (all singletons, or one group).
 */
export function adjustedRandIndex(items: readonly Assignment[]): number {
  const cells = new Map<string, number>();
  const clusters = new Map<string, number>();
  const labels = new Map<string, number>();
  for (const a of items) {
    const cell = `${a.cluster}\u0000${a.label}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    clusters.set(a.cluster, (clusters.get(a.cluster) ?? 0) + 1);
    labels.set(a.label, (labels.get(a.label) ?? 0) + 1);
  }
  const sum = (m: Map<string, number>) => [...m.values()].reduce((n, v) => n + pairs(v), 0);
  const index = sum(cells);
  const a = sum(clusters);
  const b = sum(labels);
  const total = pairs(items.length);
  if (total === 0) return 1;
  const expected = (a * b) / total;
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
