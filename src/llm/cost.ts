/** What a model costs, in USD per million tokens (as providers list it). */
export type ModelPrice = { inputPerMTok: number; outputPerMTok: number };

/**
 * The USD one call cost. No price: a local model, free (0). No usage: the server did not say,
 * so the call is not charged (0) rather than guessed.
 * @example costOf({ promptTokens: 2_000, completionTokens: 100 }, { inputPerMTok: 0.15, outputPerMTok: 0.6 }) // 0.00036
 */
export function costOf(usage: { promptTokens: number; completionTokens: number } | undefined, price: ModelPrice | undefined): number {
  if (!usage || !price) return 0;
  return (usage.promptTokens * price.inputPerMTok + usage.completionTokens * price.outputPerMTok) / 1_000_000;
}
