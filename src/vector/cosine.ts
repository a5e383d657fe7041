/** Cosine similarity of two vectors of one length; 0 when either is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * The `k` items most similar to `query`, best first (ties: the earlier item), exact.
 * @example topK([1, 0], [{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [0, 1] }], 1) // [{ item: a, score: 1 }]
 */
export function topK<T extends { vector: ArrayLike<number> }>(query: ArrayLike<number>, items: readonly T[], k: number): { item: T; score: number }[] {
  return items
    .map((item, i) => ({ item, score: cosine(query, item.vector), i }))
    .sort((x, y) => y.score - x.score || x.i - y.i)
    .slice(0, k)
    .map(({ item, score }) => ({ item, score }));
}
