import { z } from 'zod';

// The failure category list lives with the categoriser; the store only needs the names.
const categorySchema = z.string().min(1);

/** One `playwright test` invocation (one shard of it on a CI fleet). */
export const runRecordSchema = z.object({
  id: z.string().min(1),
  project: z.string().min(1),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** `running` until the reporter's onEnd; Playwright's FullResult status afterwards. */
  status: z.enum(['running', 'passed', 'failed', 'timedout', 'interrupted']),
  gitSha: z.string().nullable(),
  gitBranch: z.string().nullable(),
  playwrightVersion: z.string(),
  shard: z.object({ current: z.number().int().positive(), total: z.number().int().positive() }).nullable(),
  workers: z.number().int().nonnegative(),
  configFile: z.string().nullable(),
  /** Tests Playwright planned to run (after sharding and filters). */
  plannedTests: z.number().int().nonnegative(),
  /** The run group its shards share (MEDIC_RUN_GROUP, a CI build id), when it has one: the catalog counts the group as one run. */
  group: z.string().min(1).max(200).nullable().optional(),
  /** Errors outside any test (a spec that does not load, a failing global setup, a web server). */
  errors: z.array(z.object({ message: z.string(), category: categorySchema, signature: z.string() })).default([]),
  /**
   * What could not be learned from this run yet (its embedder was down, say): tried again, oldest
   * run first, before a later run of the project learns (and by `medic sync`); null once learned.
   */
  unlearned: z
    .object({ parts: z.array(z.enum(['failures', 'successes', 'strategies'])).min(1), error: z.string().max(2000), at: z.iso.datetime() })
    .nullable()
    .optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const testStatusSchema = z.enum(['passed', 'failed', 'timedOut', 'skipped', 'interrupted']);
export const testOutcomeSchema = z.enum(['expected', 'unexpected', 'flaky', 'skipped']);

/** One attempt (retry) of one test in one run. */
export const attemptRecordSchema = z.object({
  runId: z.string().min(1),
  /** Stable across runs: `project › file › describe › title`. */
  testKey: z.string().min(1),
  /** Playwright's own test id (stable for the same file, project and title). */
  testId: z.string().min(1),
  title: z.string(),
  titlePath: z.array(z.string()),
  projectName: z.string(),
  /** Spec file relative to the config's rootDir, with forward slashes. */
  file: z.string(),
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative(),
  retry: z.number().int().nonnegative(),
  status: testStatusSchema,
  expectedStatus: testStatusSchema,
  /** The test's outcome as of this attempt; the last attempt's outcome is the test's. */
  outcome: testOutcomeSchema,
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  workerIndex: z.number().int(),
  parallelIndex: z.number().int(),
  error: z
    .object({
      message: z.string(),
      stack: z.string().nullable(),
      category: categorySchema,
      signature: z.string(),
      /** How many errors the attempt had (soft assertions add more). */
      count: z.number().int().positive(),
    })
    .nullable(),
  annotations: z.array(z.object({ type: z.string(), description: z.string().optional() })),
  tags: z.array(z.string()),
  /** The test's actions and assertions in order, as Playwright names them (`fill`, `click`, `expect toHaveText`), without their arguments. */
  steps: z.array(z.string()).default([]),
  /** The locators the test used (what a user writes), in order of first use; from the medic fixture only. */
  locators: z.array(z.string()).default([]),
});
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

/** Unique key of an attempt: recording it twice replaces it. */
export function attemptKey(attempt: Pick<AttemptRecord, 'runId' | 'testId' | 'retry'>): string {
  return `${attempt.runId}\u0000${attempt.testId}\u0000${attempt.retry}`;
}
