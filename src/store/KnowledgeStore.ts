import type { AttemptRecord, RunRecord } from './records.js';

export type RunEnd = Pick<RunRecord, 'endedAt' | 'status'> & Partial<Pick<RunRecord, 'errors'>>;

export type AttemptQuery = {
  runId?: string;
  testKey?: string;
  /** Newest first when set; otherwise in recording order. */
  limit?: number;
};

/**
 * What playwright-medic knows, behind a narrow interface. Every record is validated with its
 * zod schema when written and when read. Adapters: memory (reference), sqlite (default).
 */
export interface KnowledgeStore {
  /** `memory`, `sqlite`, … */
  readonly kind: string;
  /** Where the data lives, for messages (a file path, a URL). */
  readonly location: string;
  startRun(run: RunRecord): Promise<void>;
  finishRun(runId: string, end: RunEnd): Promise<void>;
  /** Records one attempt; recording the same (runId, testId, retry) again replaces it. */
  recordAttempt(attempt: AttemptRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(query?: { project?: string; limit?: number }): Promise<RunRecord[]>;
  listAttempts(query?: AttemptQuery): Promise<AttemptRecord[]>;
  close(): Promise<void>;
}
