import { z } from 'zod';

// What the LLM layer keeps in the knowledge store, as model records (src/store/models.ts): read
// by the report too, which needs none of the client.

/** The model record of the decision cache, and the one of the failure summaries. */
export const DECISIONS_RECORD = 'llm-decisions';
export const SUMMARIES_RECORD = 'llm-summaries';

/** A repair decision as the cache keeps it: the shown candidate's number, or null for none. */
export const decisionSchema = z.object({ index: z.number().int().min(0).nullable(), reason: z.string(), model: z.string() });
export type Decision = z.infer<typeof decisionSchema>;

/** A failure pattern's summary as it is kept (by pattern and model) and shown in the report. */
export const summarySchema = z.object({ patternId: z.string(), model: z.string(), hypothesis: z.string(), suggestedFix: z.string(), at: z.iso.datetime() });
export type FailureSummary = z.infer<typeof summarySchema>;
