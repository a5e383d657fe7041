import type { MedicConfig } from '../config/schema.js';
import type { SpendRecord } from './spend.js';

/**
 * The end-of-run summary's line of the LLM layer: the run's calls by model, their cost, and
 * whether a budget stopped calls (said once here, whichever workers met it). Undefined when the
 * run made no call.
 * @example llmRunLine(record, runId, config.llm!, new Date(), 2) // '  LLM: 3 calls (small 3, 3 answered), $0.0012; 2 failure patterns summarised'
 */
export function llmRunLine(record: SpendRecord, runId: string, llm: NonNullable<MedicConfig['llm']>, now: Date, summarized = 0): string | undefined {
  const run = record.runs[runId];
  if (!run) return undefined;
  const models = Object.entries(run.models).sort((a, b) => b[1].calls - a[1].calls || a[0].localeCompare(b[0]));
  const calls = models.reduce((n, [, t]) => n + t.calls, 0);
  const byModel = models.map(([model, t]) => `${model} ${t.calls}, ${t.answered} answered`).join('; ');
  const day = record.days[now.toISOString().slice(0, 10)] ?? 0;
  const stopped =
    run.usd >= llm.budgetUsd ? `; the run's budget ($${llm.budgetUsd}) was reached: calls stopped` : day >= llm.dailyBudgetUsd ? `; today's budget ($${llm.dailyBudgetUsd}) was reached: calls stopped` : '';
  const summaries = summarized ? `; ${summarized} failure pattern${summarized === 1 ? '' : 's'} summarised (see the report)` : '';
  return `  LLM: ${calls} call${calls === 1 ? '' : 's'} (${byModel}), $${run.usd.toFixed(4)}${stopped}${summaries}`;
}
