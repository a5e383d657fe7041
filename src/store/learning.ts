import { z } from 'zod';
import { mergeValidSelector, selectorKey, selectorObservationSchema, selectorRecordSchema, type SelectorRecord } from '../learning/catalog.js';
import { healEventSchema, type HealEvent } from '../learning/heals.js';

// What the adapters share about the selector catalog and heal events, apart from storage.

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
