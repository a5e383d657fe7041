// The labelled corpus of bench:cluster: the attempts of replayed histories (real Playwright
// runs against the demo shop with injected faults, test/helpers/replayHistory.ts), each with the
// fault that caused it. Written by `npm run capture:cluster`, read by `npm run bench:cluster`.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { attemptRecordSchema, runRecordSchema } from '../src/store/records.js';

export const CORPUS_FILE = new URL('./data/cluster-corpus.json', import.meta.url);

export const clusterCorpusSchema = z
  .object({
    version: z.literal(1),
    playwrightVersion: z.string(),
    /** Every recorded run, oldest first (replays one after the other). */
    runs: z.array(runRecordSchema).min(1),
    /** Every attempt of those runs (a run's size matters to the learner), a failing one with the injected fault that failed it. */
    attempts: z.array(z.object({ fault: z.string().min(1).optional(), attempt: attemptRecordSchema })).min(1),
  })
  .strict();
export type ClusterCorpus = z.infer<typeof clusterCorpusSchema>;

export function loadClusterCorpus(file: URL | string = CORPUS_FILE): ClusterCorpus {
  return clusterCorpusSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
