import { z } from 'zod';
import { healEventSchema } from '../learning/heals.js';

const limit = z.number().int().positive().optional();

export const runQuerySchema = z.object({ project: z.string().optional(), limit }).strict();

export const attemptQuerySchema = z.object({ runId: z.string().optional(), testKey: z.string().optional(), limit }).strict();

/** Which catalog records `listSelectors` returns: every field narrows; most recently seen first. */
export const selectorQuerySchema = z
  .object({ project: z.string().optional(), pageKey: z.string().optional(), selector: z.string().optional(), limit })
  .strict();
export type SelectorQuery = z.input<typeof selectorQuerySchema>;

/** Which heals `listHeals` returns: every field narrows; newest first. */
export const healQuerySchema = z
  .object({
    project: z.string().optional(),
    runId: z.string().optional(),
    testKey: z.string().optional(),
    review: healEventSchema.shape.review.unwrap().optional(),
    limit,
  })
  .strict();
export type HealQuery = z.input<typeof healQuerySchema>;

/** Which failure patterns `listFailurePatterns` returns: every field narrows; most recently seen first. */
export const patternQuerySchema = z.object({ project: z.string().optional(), category: z.string().optional(), limit }).strict();
export type PatternQuery = z.input<typeof patternQuerySchema>;

/** Which success patterns `listSuccessPatterns` returns: every field narrows; most recently seen first. */
export const successQuerySchema = z.object({ project: z.string().optional(), feature: z.string().optional(), limit }).strict();
export type SuccessQuery = z.input<typeof successQuerySchema>;
