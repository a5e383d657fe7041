import { z } from 'zod';
import { llmCallSchema } from '../llm/call.js';
import { locatorRefSchema } from './catalog.js';

/** How a broken step was repaired (DESIGN.md, adaptive retry by error category). */
export const HEAL_STRATEGIES = ['known_fix', 'relocate', 'disambiguate', 'extended_wait', 'relocate_set', 'llm'] as const;
export const healStrategySchema = z.enum(HEAL_STRATEGIES);
export type HealStrategy = z.infer<typeof healStrategySchema>;

const contributionSchema = z.object({ attribute: z.string(), similarity: z.number(), weight: z.number(), contribution: z.number() });

/** A heal as the worker saw it; the reporter adds the run and the test (`healEventSchema`). */
export const healReportSchema = z.object({
  /** Unique within the run: `<testId>#<retry>#<n>`. */
  id: z.string().min(1),
  pageKey: z.string(),
  /** The action or assertion that failed: `click`, `fill`, `expect.toBeVisible`. */
  step: z.string(),
  /** The locator the test wrote. */
  from: locatorRefSchema,
  /** The locator it was healed to (absent when no safe candidate was found). */
  to: locatorRefSchema.optional(),
  strategy: healStrategySchema,
  /** The failure that started it: selector_missing, strict_mode, timeout. */
  category: z.string(),
  /** How hard the task was, when the heal knew it (`list`, `chain`, `simple`); else the strategy tracker reads it from the selector. */
  complexity: z.enum(['simple', 'chain', 'list']).optional(),
  /** `healed`: the step passed on the new locator; `suggested`: mode suggest, the step failed; `failed`: it was tried and did not help; `abstained`: no candidate was safe. */
  outcome: z.enum(['healed', 'suggested', 'failed', 'abstained']),
  confidence: z.number().min(0).max(1),
  margin: z.number(),
  /** Each attribute's part in the decision, strongest first. */
  explanation: z.array(contributionSchema),
  /** One sentence: why it healed or abstained. */
  reason: z.string(),
  /** Name of the test attachment holding the healed element's screenshot. */
  screenshot: z.string().optional(),
  durationMs: z.number().nonnegative(),
  at: z.iso.datetime(),
  /**
   * The LLM layer's part, when the ranker abstained and a model was asked: the model whose
   * answer was used (a cached decision made no call), and every call made, failed ones too.
   */
  llm: z.object({ model: z.string().optional(), cached: z.boolean(), calls: z.array(llmCallSchema) }).optional(),
});
export type HealReport = z.infer<typeof healReportSchema>;

/** A heal in the store: the worker's report plus where it happened. */
export const healEventSchema = healReportSchema.extend({
  project: z.string().min(1),
  runId: z.string().min(1),
  testKey: z.string().min(1),
  testId: z.string().min(1),
  retry: z.number().int().nonnegative(),
  /** The human review queue: every heal starts pending. */
  review: z.enum(['pending', 'accepted', 'rejected']).default('pending'),
  /**
   * The test's spec and its local imports when the heal was recorded: path relative to the
   * Playwright config's rootDir → sha256 of the text. `medic apply` refuses a file changed since.
   * Absent on heals recorded before it was kept.
   */
  sources: z.record(z.string().min(1), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
});
export type HealEvent = z.infer<typeof healEventSchema>;
