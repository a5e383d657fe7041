import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory.js';
import type { LlmCall } from './call.js';
import { addCall, memoryLedger, readSpend, storeLedger } from './spend.js';

const call = (costUsd: number, answer: LlmCall['answer'] = 'pick', model = 'small'): LlmCall => ({ model, task: 'llm_repair', answer, durationMs: 100, costUsd, promptTokens: 10, completionTokens: 2 });

describe('the spend ledger', () => {
  it('counts a run and its UTC day, and each model of the run', () => {
    const at = new Date('2026-12-07T10:00:00Z');
    let record = addCall({ days: {}, runs: {} }, 'r1', call(0.25), at);
    record = addCall(record, 'r1', call(0.5, 'malformed', 'big'), at);
    record = addCall(record, 'r2', call(1), new Date('2026-12-08T01:00:00Z'));
    expect(record.days).toEqual({ '2026-12-07': 0.75, '2026-12-08': 1 });
    expect(record.runs.r1).toMatchObject({ usd: 0.75, models: { small: { calls: 1, answered: 1, usd: 0.25 }, big: { calls: 1, answered: 0, usd: 0.5 } } });
  });

  it('in the store, adds from many concurrent callers without losing one (the lock)', async () => {
    const store = new MemoryStore();
    const ledgers = [storeLedger(store, 'shop'), storeLedger(store, 'shop'), storeLedger(store, 'shop')];
    await Promise.all(Array.from({ length: 30 }, (_, i) => ledgers[i % 3]!.add('r1', call(0.1))));
    const spent = await ledgers[0]!.spent('r1');
    expect(spent.run).toBeCloseTo(3, 9);
    expect((await readSpend(store, 'shop')).runs.r1!.models.small!.calls).toBe(30);
    expect(await storeLedger(store, 'other').spent('r1')).toEqual({ run: 0, day: 0 });
  });

  it('refuses an invalid call before counting it', async () => {
    const ledger = memoryLedger();
    await expect(ledger.add('r1', { ...call(0.1), costUsd: -1 })).rejects.toThrow();
    expect(await ledger.spent('r1')).toEqual({ run: 0, day: 0 });
  });
});
