import { z } from 'zod';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { llmCallSchema, type LlmCall } from './call.js';

export { llmCallSchema, type LlmCall } from './call.js';

const tallySchema = z.object({
  calls: z.number().int().nonnegative(),
  /** Calls that answered validly. */
  answered: z.number().int().nonnegative(),
  usd: z.number().nonnegative(),
  ms: z.number().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type ModelTally = z.infer<typeof tallySchema>;

/** The spend record of a project: USD per UTC day, and per run the calls of each model. */
export const spendRecordSchema = z.object({
  days: z.record(z.string(), z.number().nonnegative()),
  runs: z.record(z.string(), z.object({ at: z.iso.datetime(), usd: z.number().nonnegative(), models: z.record(z.string(), tallySchema) })),
});
export type SpendRecord = z.infer<typeof spendRecordSchema>;

/** Spent so far (USD) in this run and this UTC day. */
export type Spent = { run: number; day: number };

/** Where spending is counted: shared by every worker of a run (and every run of a day). */
export interface SpendLedger {
  spent(runId: string): Promise<Spent>;
  /** Adds one call; returns what is spent after it. */
  add(runId: string, call: LlmCall): Promise<Spent>;
  /** The calls of a run, by model (for the report). */
  tallies(runId: string): Promise<Record<string, ModelTally>>;
}

/** The model record the spend lives in (src/store/models.ts: the store keeps it whole). */
export const SPEND_RECORD = 'llm-spend';
const RUNS_KEPT = 100;
const DAYS_KEPT = 14;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const empty = (): SpendRecord => ({ days: {}, runs: {} });

/**
 * A model's tally with one more call in it (a valid answer: `pick`, `none` or `summary`).
 * @example withCall(undefined, call).calls // 1
 */
export function withCall(tally: ModelTally | undefined, call: LlmCall): ModelTally {
  const t = tally ?? { calls: 0, answered: 0, usd: 0, ms: 0, promptTokens: 0, completionTokens: 0 };
  const answered = call.answer === 'pick' || call.answer === 'none' || call.answer === 'summary';
  return {
    calls: t.calls + 1,
    answered: t.answered + (answered ? 1 : 0),
    usd: t.usd + call.costUsd,
    ms: t.ms + call.durationMs,
    promptTokens: t.promptTokens + call.promptTokens,
    completionTokens: t.completionTokens + call.completionTokens,
  };
}

/** Pure: the record with one more call in it, old runs and days dropped. */
export function addCall(record: SpendRecord, runId: string, call: LlmCall, at: Date): SpendRecord {
  const day = dayOf(at);
  const run = record.runs[runId] ?? { at: at.toISOString(), usd: 0, models: {} };
  const models = { ...run.models, [call.model]: withCall(run.models[call.model], call) };
  const runs = Object.entries({ ...record.runs, [runId]: { ...run, usd: run.usd + call.costUsd, models } })
    .sort((a, b) => (a[1].at < b[1].at ? 1 : -1))
    .slice(0, RUNS_KEPT);
  const days = Object.entries({ ...record.days, [day]: (record.days[day] ?? 0) + call.costUsd })
    .sort((a, b) => (a[0] < b[0] ? 1 : -1))
    .slice(0, DAYS_KEPT);
  return { days: Object.fromEntries(days), runs: Object.fromEntries(runs) };
}

const spentIn = (record: SpendRecord, runId: string, at: Date): Spent => ({ run: record.runs[runId]?.usd ?? 0, day: record.days[dayOf(at)] ?? 0 });

/** Reads the project's spend record; an unreadable one (old shape) starts again empty. */
export async function readSpend(store: KnowledgeStore, project: string): Promise<SpendRecord> {
  const stored = await store.getModel(project, SPEND_RECORD);
  const parsed = spendRecordSchema.safeParse(stored?.data);
  return parsed.success ? parsed.data : empty();
}

/**
 * The ledger in the knowledge store: every process of a run (workers, the reporter, shards on
 * other machines sharing a Redis store) adds to one record under the store's lock, so the
 * budget holds for the run as a whole.
 * @example const ledger = storeLedger(store, 'shop'); await ledger.add(runId, call);
 */
export function storeLedger(store: KnowledgeStore, project: string, now: () => Date = () => new Date()): SpendLedger {
  return {
    spent: async (runId) => spentIn(await readSpend(store, project), runId, now()),
    add: (runId, call) =>
      store.exclusive(`llm-spend:${project}`, async () => {
        const at = now();
        const record = addCall(await readSpend(store, project), runId, llmCallSchema.parse(call), at);
        await store.putModel({ project, name: SPEND_RECORD, at: at.toISOString(), data: record });
        return spentIn(record, runId, at);
      }),
    tallies: async (runId) => (await readSpend(store, project)).runs[runId]?.models ?? {},
  };
}

/** A ledger of this process alone (no store): the reference for tests. */
export function memoryLedger(now: () => Date = () => new Date()): SpendLedger & { record: SpendRecord } {
  const ledger = {
    record: empty(),
    spent: async (runId: string) => spentIn(ledger.record, runId, now()),
    add: async (runId: string, call: LlmCall) => {
      ledger.record = addCall(ledger.record, runId, llmCallSchema.parse(call), now());
      return spentIn(ledger.record, runId, now());
    },
    tallies: async (runId: string) => ledger.record.runs[runId]?.models ?? {},
  };
  return ledger;
}
