import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryStore } from '../store/memory.js';
import { memoKey, storeMemo } from './memo.js';

describe('the store memo', () => {
  it('keeps answers for every process of the project, merged under the lock, and drops entries that no longer parse', async () => {
    const store = new MemoryStore();
    const a = storeMemo(store, 'shop', 'llm-decisions', z.object({ index: z.number() }));
    const b = storeMemo(store, 'shop', 'llm-decisions', z.object({ index: z.number() }));
    await Promise.all([a.put('k1', { index: 1 }), b.put('k2', { index: 2 })]);
    const fresh = storeMemo(store, 'shop', 'llm-decisions', z.object({ index: z.number() }));
    expect(await fresh.get('k1')).toEqual({ index: 1 });
    expect(await fresh.get('k2')).toEqual({ index: 2 });
    const stricter = storeMemo(store, 'shop', 'llm-decisions', z.object({ index: z.string() }));
    expect(await stricter.get('k1')).toBeUndefined();
    expect(await storeMemo(store, 'other', 'llm-decisions', z.object({ index: z.number() })).get('k1')).toBeUndefined();
  });

  it('keys a value by its JSON', () => {
    expect(memoKey({ a: 1 })).toBe(memoKey({ a: 1 }));
    expect(memoKey({ a: 1 })).not.toBe(memoKey({ a: 2 }));
  });
});
