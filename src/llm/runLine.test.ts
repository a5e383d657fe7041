import { describe, expect, it } from 'vitest';
import { defineMedicConfig } from '../config/index.js';
import type { LlmCall } from './call.js';
import { llmRunLine } from './runLine.js';
import { addCall, type SpendRecord } from './spend.js';

const llm = defineMedicConfig({ llm: { models: ['small', 'big'], budgetUsd: 0.01 } }, {}).llm!;
const call = (model: string, costUsd: number, answer: LlmCall['answer'] = 'pick'): LlmCall => ({ model, task: 'llm_repair', answer, durationMs: 10, costUsd, promptTokens: 1, completionTokens: 1 });
const at = new Date('2026-12-07T10:00:00Z');

describe('llmRunLine', () => {
  it("names the run's calls by model and their cost, and a budget that stopped calls, once", () => {
    let record: SpendRecord = { days: {}, runs: {} };
    record = addCall(record, 'r1', call('small', 0.001), at);
    record = addCall(record, 'r1', call('small', 0.001, 'malformed'), at);
    record = addCall(record, 'r1', call('big', 0.002), at);
    expect(llmRunLine(record, 'r1', llm, at, 1)).toBe('  LLM: 3 calls (small 2, 1 answered; big 1, 1 answered), $0.0040; 1 failure pattern summarised (see the report)');
    record = addCall(record, 'r1', call('big', 0.01), at);
    expect(llmRunLine(record, 'r1', llm, at)).toMatch(/\$0\.0140; the run's budget \(\$0\.01\) was reached: calls stopped$/);
    expect(llmRunLine(record, 'r2', llm, at)).toBeUndefined();
  });
});
