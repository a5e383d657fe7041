import { z } from 'zod';

/** How a test ended in a run, for judging a prediction: `flaky` failed, then passed on a retry. */
export const predictionOutcomeSchema = z.enum(['passed', 'flaky', 'failed', 'skipped']);
export type PredictionOutcome = z.infer<typeof predictionOutcomeSchema>;

/** What was predicted for one test before a run, and how the test ended in it. */
export const riskPredictionSchema = z
  .object({
    project: z.string().min(1),
    runId: z.string().min(1),
    testKey: z.string().min(1),
    /** When the prediction was made (before the run). */
    at: z.iso.datetime(),
    /** Which model scored it (`weighted`, or a fitted model's name). */
    model: z.string().min(1),
    score: z.number().min(0).max(1),
    /** Each factor's value (a record of an older or newer version may name other factors). */
    factors: z.record(z.string(), z.number().min(0).max(1)),
    outcome: predictionOutcomeSchema,
  })
  .strict();
export type RiskPrediction = z.infer<typeof riskPredictionSchema>;

/** Which predictions `listPredictions` returns: every field narrows; newest first (by `at`, then runId descending, then testKey). */
export const predictionQuerySchema = z
  .object({ project: z.string().optional(), runId: z.string().optional(), limit: z.number().int().positive().optional() })
  .strict();
export type PredictionQuery = z.input<typeof predictionQuerySchema>;

/**
 * A project keeps the predictions of its newest this many runs; the others' are dropped as
 * predictions are recorded. A run's time is the latest `at` of its predictions (a tie: the
 * greater runId is the newer): the predictions of a run older than the kept ones go as soon as
 * they are recorded.
 */
export const PREDICTION_RUNS_KEPT = 100;

/** The key of a prediction: recording the same (project, runId, testKey) again replaces it. */
export const predictionKey = (p: Pick<RiskPrediction, 'project' | 'runId' | 'testKey'>) => `${p.project}\u0000${p.runId}\u0000${p.testKey}`;
