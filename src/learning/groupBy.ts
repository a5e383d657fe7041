/**
 * Items grouped by a key, in first-seen order of keys and items, without copying a group per item
 * (`Map.groupBy` for Node 20).
 * @example groupBy(attempts, (a) => a.runId).get(runId)
 */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
