/** Cosine similarity of two vectors of one length; 0 when either is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return similarityTo(a)(b);
}

/** Cosine similarity to `query`, its norm computed once: for scoring many vectors against one. */
export function similarityTo(query: ArrayLike<number>): (b: ArrayLike<number>) => number {
  let nq = 0;
  for (let i = 0; i < query.length; i++) nq += query[i]! * query[i]!;
  return (b) => {
    let dot = 0;
    let nb = 0;
    for (let i = 0; i < query.length; i++) {
      dot += query[i]! * b[i]!;
      nb += b[i]! * b[i]!;
    }
    return nq === 0 || nb === 0 ? 0 : dot / Math.sqrt(nq * nb);
  };
}

/**
 * The best `k` of a stream of scored items, best first; of equal scores the one offered first.
 * Keeps k items, so a scan need not hold every vector.
 * @example const best = topKStream<string>(3); best.offer('a', 0.9); best.result() // [{ item: 'a', score: 0.9 }]
 */
export function topKStream<T>(k: number) {
  const kept: { item: T; score: number }[] = [];
  return {
    offer(item: T, score: number): void {
      if (kept.length === k && score <= kept[k - 1]!.score) return;
      let at = kept.length;
      while (at > 0 && kept[at - 1]!.score < score) at--;
      kept.splice(at, 0, { item, score });
      if (kept.length > k) kept.pop();
    },
    result: (): { item: T; score: number }[] => [...kept],
  };
}

/**
 * The `k` items most similar to `query`, best first (ties: the earlier item), exact.
 * @example topK([1, 0], [{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [0, 1] }], 1) // [{ item: a, score: 1 }]
 */
export function topK<T extends { vector: ArrayLike<number> }>(query: ArrayLike<number>, items: readonly T[], k: number): { item: T; score: number }[] {
  const score = similarityTo(query);
  const best = topKStream<T>(k);
  for (const item of items) best.offer(item, score(item.vector));
  return best.result();
}
