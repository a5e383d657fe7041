import { z } from 'zod';
import { mergeValidSelector, selectorKey, selectorObservationSchema, selectorRecordSchema, type SelectorRecord } from '../learning/catalog.js';
import { healEventSchema, type HealEvent } from '../learning/heals.js';
import { PREDICTION_RUNS_KEPT, type RiskPrediction } from '../risk/predictions.js';

// What the adapters share about the selector catalog, heal events and risk predictions, apart from storage.

const selectorBatchSchema = z.object({ project: z.string().min(1), observations: z.array(selectorObservationSchema) });
export type SelectorBatch = z.infer<typeof selectorBatchSchema>;

/** The id of a selector batch, for writes that may be retried (see KnowledgeStore.recordSelectors). */
export const batchIdSchema = z.string().min(1).max(200).optional();

/** Validates a whole batch before anything is written: a ZodError names the bad field. */
export function parseSelectorBatch(project: string, observations: unknown[]): SelectorBatch {
  return selectorBatchSchema.parse({ project, observations });
}

/**
 * The records a batch leaves behind: its observations merged in order onto the stored records
 * (`stored`), one record per key, in the order the keys first appear in the batch.
 */
export function mergeSelectorBatch(batch: SelectorBatch, stored: (pageKey: string, selector: string) => SelectorRecord | undefined): SelectorRecord[] {
  const merged = new Map<string, SelectorRecord>();
  for (const observation of batch.observations) {
    const key = selectorKey(batch.project, observation.pageKey, observation.selector);
    const previous = merged.has(key) ? merged.get(key) : stored(observation.pageKey, observation.selector);
    merged.set(key, mergeValidSelector(previous, batch.project, observation));
  }
  return [...merged.values()].map((record) => selectorRecordSchema.parse(record));
}

/** A heal as callers may pass it: `review` defaults to `pending`. */
export type HealEventInput = z.input<typeof healEventSchema>;

export function parseHeals(events: HealEventInput[]): HealEvent[] {
  return z.array(healEventSchema).parse(events);
}

/** Unique key of a heal: recording it twice replaces it. */
export function healKey(event: Pick<HealEvent, 'runId' | 'id'>): string {
  return `${event.runId}\u0000${event.id}`;
}

/** Ascending in SQLite's BINARY order for ASCII text such as ISO timestamps (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order of `listPredictions`: newest `at` first, then runId descending, then testKey
 * ascending; a total order (the three make a prediction's key), so every adapter lists alike.
 * @example predictions.sort(newestPredictionFirst)
 */
export function newestPredictionFirst(a: RiskPrediction, b: RiskPrediction): number {
  return compareText(b.at, a.at) || compareText(b.runId, a.runId) || compareText(a.testKey, b.testKey);
}

/**
 * Each run's time: the latest `at` of its predictions (of one project).
 * @example runTimes(await store.listPredictions({ project: 'shop' })).get(runId)
 */
export function runTimes(predictions: Iterable<Pick<RiskPrediction, 'runId' | 'at'>>): Map<string, string> {
  const times = new Map<string, string>();
  for (const p of predictions) {
    const seen = times.get(p.runId);
    if (seen === undefined || compareText(p.at, seen) > 0) times.set(p.runId, p.at);
  }
  return times;
}

/**
 * The runs of one project whose predictions go: all but the newest PREDICTION_RUNS_KEPT by
 * time (see runTimes), a tie going to the greater runId, as SQLite's `ORDER BY max(at) DESC, run_id DESC`.
 * @example for (const runId of runsBeyondKept(runTimes(ofProject))) drop(runId);
 */
export function runsBeyondKept(times: ReadonlyMap<string, string>): string[] {
  return [...times]
    .sort(([runA, atA], [runB, atB]) => compareText(atB, atA) || compareText(runB, runA))
    .slice(PREDICTION_RUNS_KEPT)
    .map(([runId]) => runId);
}
