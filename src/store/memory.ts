import { MedicStoreError } from '../errors.js';
import type { AttemptQuery, KnowledgeStore, RunEnd } from './KnowledgeStore.js';
import { attemptQuerySchema, runQuerySchema } from './queries.js';
import { attemptKey, attemptRecordSchema, runRecordSchema, type AttemptRecord, type RunRecord } from './records.js';

/** The reference adapter: everything in memory, gone with the process. */
export class MemoryStore implements KnowledgeStore {
  readonly kind = 'memory';
  readonly location = 'memory';
  private readonly runs = new Map<string, RunRecord>();
  private readonly attempts = new Map<string, AttemptRecord>();

  async startRun(run: RunRecord): Promise<void> {
    const parsed = runRecordSchema.parse(run);
    if (this.runs.has(parsed.id)) throw duplicateRun(parsed.id);
    this.runs.set(parsed.id, structuredClone(parsed));
  }

  async finishRun(runId: string, end: RunEnd): Promise<void> {
    const run = this.runs.get(runId);
    if (!run) throw unknownRun(runId);
    this.runs.set(runId, runRecordSchema.parse({ ...run, ...end }));
  }

  async recordAttempt(attempt: AttemptRecord): Promise<void> {
    const parsed = attemptRecordSchema.parse(attempt);
    if (!this.runs.has(parsed.runId)) throw unknownRun(parsed.runId);
    const key = attemptKey(parsed);
    this.attempts.delete(key); // a replaced attempt moves to the end, like a new row
    this.attempts.set(key, structuredClone(parsed));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const run = this.runs.get(runId);
    return run && structuredClone(run);
  }

  async listRuns(options: { project?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const query = runQuerySchema.parse(options);
    const runs = [...this.runs.values()]
      .filter((run) => query.project === undefined || run.project === query.project)
      .reverse()
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return structuredClone(query.limit === undefined ? runs : runs.slice(0, query.limit));
  }

  async listAttempts(options: AttemptQuery = {}): Promise<AttemptRecord[]> {
    const query = attemptQuerySchema.parse(options);
    let attempts = [...this.attempts.values()].filter(
      (a) => (query.runId === undefined || a.runId === query.runId) && (query.testKey === undefined || a.testKey === query.testKey),
    );
    if (query.limit !== undefined) attempts = attempts.reverse().slice(0, query.limit);
    return structuredClone(attempts);
  }

  async close(): Promise<void> {}
}

export function unknownRun(runId: string): MedicStoreError {
  return new MedicStoreError(`No run with id ${JSON.stringify(runId)} in the knowledge store.`, {
    fix: 'Call startRun() before recording attempts or finishing the run.',
  });
}

export function duplicateRun(runId: string): MedicStoreError {
  return new MedicStoreError(`A run with id ${JSON.stringify(runId)} is already in the knowledge store.`, {
    fix: 'Give every run a new id (the reporter uses a random UUID).',
  });
}
