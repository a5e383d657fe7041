import { z } from 'zod';
import { selectorObservationSchema } from './catalog.js';
import { healReportSchema } from './heals.js';

/**
 * What a worker tells the reporter about one test attempt, as a test attachment: the fixture
 * writes it, the reporter validates and stores it. The one schema both sides use.
 */
export const LEARNING_CONTENT_TYPE = 'application/vnd.medic.learning+json';
export const LEARNING_ATTACHMENT = 'medic-learning';

export const learningMessageSchema = z.object({
  version: z.literal(1),
  /** What the worker saw (a review decision is the CLI's, never a worker's). */
  selectors: z.array(selectorObservationSchema.refine((o) => o.outcome !== 'reviewed' && o.review === undefined, { message: 'a worker does not send review decisions' })),
  heals: z.array(healReportSchema),
  /** The locators the test's steps used (what a user writes), in order of first use. */
  locators: z.array(z.string()).default([]),
});
export type LearningMessage = z.infer<typeof learningMessageSchema>;

/** Reads an attachment body; throws a zod error naming the bad field when it is not ours. */
export function parseLearningMessage(body: Buffer | string): LearningMessage {
  return learningMessageSchema.parse(JSON.parse(typeof body === 'string' ? body : body.toString('utf8')));
}
