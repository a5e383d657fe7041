import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory.js';
import { makeRun } from '../store/contract.testkit.js';
import { SUMMARIES_RECORD } from '../llm/records.js';
import { SPEND_RECORD } from '../llm/spend.js';
import { buildReportData } from './build.js';
import { loadReportInput } from './load.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 10, minutes)).toISOString();

describe('loadReportInput: the LLM layer’s records', () => {
  it('reads the summaries (dropping entries that do not parse) and the spend record, for the report to show', async () => {
    const store = new MemoryStore();
    await store.startRun(makeRun({ id: 'run-1', project: 'shop', startedAt: at(0) }));
    await store.putFailurePatterns([
      { id: 'fp-1', project: 'shop', category: 'timeout', signatures: ['s'], count: 1, firstSeen: at(1), lastSeen: at(1), runs: ['run-1'], tests: ['t'], features: [], examples: ['Timeout'], knownFixes: [] },
    ]);
    const entry = (model: string, minute: number) => ({ at: at(minute), value: { patternId: 'fp-1', model, hypothesis: `${model} thinks so`, suggestedFix: 'wait for it', at: at(minute) } });
    await store.putModel({
      project: 'shop',
      name: SUMMARIES_RECORD,
      at: at(3),
      data: { 'fp-1\u0000mini': entry('mini', 2), 'fp-1\u0000big': entry('big', 3), 'fp-1\u0000bad': { at: at(4), value: { patternId: 'fp-1', hypothesis: 1 } } },
    });
    const tally = { calls: 2, answered: 1, usd: 0.002, ms: 500, promptTokens: 200, completionTokens: 20 };
    await store.putModel({ project: 'shop', name: SPEND_RECORD, at: at(3), data: { days: { '2026-11-24': 0.002 }, runs: { 'run-1': { at: at(2), usd: 0.002, models: { mini: tally } } } } });

    const input = await loadReportInput(store, { project: 'shop', runs: 30 });
    expect(input.summaries?.map((s) => s.model).sort()).toEqual(['big', 'mini']);
    const data = buildReportData({ ...input, now: new Date(at(30)), reviewId: (h) => h.id });
    expect(data.patterns[0]!.summary).toMatchObject({ model: 'big', hypothesis: 'big thinks so' });
    expect(data.llm?.models).toEqual([expect.objectContaining({ model: 'mini', run: expect.objectContaining({ calls: 2, answered: 1, answerRate: 0.5, meanMs: 250 }) })]);

    // A store without these records (or with a spend record of an older shape) still builds.
    await store.putModel({ project: 'shop', name: SPEND_RECORD, at: at(4), data: { version: 0 } });
    const bare = await loadReportInput(new MemoryStore(), { project: 'shop', runs: 30 });
    expect(buildReportData({ ...bare, now: new Date(at(30)), reviewId: (h) => h.id }).llm).toBeNull();
    const older = await loadReportInput(store, { project: 'shop', runs: 30 });
    expect(buildReportData({ ...older, now: new Date(at(30)), reviewId: (h) => h.id }).llm).toBeNull();
  });
});
