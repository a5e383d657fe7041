import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';

/** A bounded map of answers kept by key: the decision cache and the summaries. */
export interface Memo<T> {
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T): Promise<void>;
  /** Every entry, newest first. */
  entries(): Promise<[string, T][]>;
}

/** The key of a JSON-able value: sha256 of its JSON. @example memoKey({ old, shown }) */
export const memoKey = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** What a memo keeps at most (the newest win). */
export const MEMO_KEPT = 1_000;

const entrySchema = <T>(schema: z.ZodType<T>) => z.object({ at: z.iso.datetime(), value: schema });

/**
 * A memo in one model record of the store (`name`), shared by every process of the project: a
 * put merges into the record under the store's lock. Read once, then kept in memory; entries
 * that no longer parse are dropped (an older shape).
 * @example const decisions = storeMemo(store, 'shop', 'llm-decisions', decisionSchema);
 */
export function storeMemo<T>(store: KnowledgeStore, project: string, name: string, schema: z.ZodType<T>, now: () => Date = () => new Date()): Memo<T> {
  const entry = entrySchema(schema);
  const read = async (): Promise<Map<string, { at: string; value: T }>> => {
    const data = (await store.getModel(project, name))?.data ?? {};
    const out = new Map<string, { at: string; value: T }>();
    for (const [key, raw] of Object.entries(data)) {
      const parsed = entry.safeParse(raw);
      if (parsed.success) out.set(key, parsed.data as { at: string; value: T });
    }
    return out;
  };
  let cached: Promise<Map<string, { at: string; value: T }>> | undefined;
  // A failed read is not kept: the next look tries the store again.
  const local = () =>
    (cached ??= read().catch((error: unknown) => {
      cached = undefined;
      throw error;
    }));
  return {
    get: async (key) => (await local()).get(key)?.value,
    put: async (key, value) => {
      const at = now().toISOString();
      (await local()).set(key, { at, value });
      await store.exclusive(`memo:${project}:${name}`, async () => {
        const merged = await read();
        merged.set(key, { at, value });
        const kept = [...merged].sort((a, b) => (a[1].at < b[1].at ? 1 : -1)).slice(0, MEMO_KEPT);
        await store.putModel({ project, name, at, data: Object.fromEntries(kept) });
      });
    },
    entries: async () => [...(await read())].sort((a, b) => (a[1].at < b[1].at ? 1 : -1)).map(([k, e]) => [k, e.value]),
  };
}

/** A memo of this process alone: the reference for tests. */
export function memoryMemo<T>(): Memo<T> {
  const map = new Map<string, T>();
  return {
    get: async (key) => map.get(key),
    put: async (key, value) => {
      map.delete(key);
      map.set(key, value);
    },
    entries: async () => [...map].reverse(),
  };
}
