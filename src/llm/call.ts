import { z } from 'zod';

/** What one call to a model was, for the budget and the report. */
export const llmCallSchema = z
  .object({
    model: z.string().min(1),
    task: z.enum(['llm_repair', 'llm_summary']),
    /**
     * `pick`/`none` (repair) or `summary`: a valid answer; the rest are failures of the call
     * (`contradicted`: the pick contradicts the element's hard attributes; `unsupported`: the
     * ranker finds the pick too unlikely, below `llm.minSupport`).
     */
    answer: z.enum(['pick', 'none', 'summary', 'malformed', 'contradicted', 'unsupported', 'error']),
    /** Why it failed (the error, the parse error or the contradiction). */
    error: z.string().max(500).optional(),
    durationMs: z.number().nonnegative(),
    costUsd: z.number().nonnegative(),
    promptTokens: z.number().int().nonnegative(),
    completionTokens: z.number().int().nonnegative(),
  })
  .strict();
export type LlmCall = z.infer<typeof llmCallSchema>;
