import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import { bestKnownFix } from '../learning/failurePatterns.js';
import type { StrategyExecution } from '../learning/strategies.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { FailureSummary } from './llm.js';
import { openLlm } from './open.js';

/** The batch the summaries' calls of a run are recorded under (the run's own executions are its heals'). */
export const summaryBatch = (runId: string) => `${runId}/llm-summaries`;

/**
 * After a run: a root-cause hypothesis and a suggested fix for each failure pattern the run saw
 * that has no working fix yet (newest first, up to `llm.maxSummaries`), kept by pattern and
 * model (a pattern summarised before is not asked again); the calls are recorded for model
 * selection and the report; their cost counts toward `spendKey` (the run group's budget, else the
 * run's). Never throws: a problem is one warning.
 * @example const { summarized } = await summarizeRun(config, store, runId, console.warn);
 */
export async function summarizeRun(
  config: MedicConfig,
  store: KnowledgeStore,
  runId: string,
  warn: (message: string) => void,
  options: { env?: NodeJS.ProcessEnv; spendKey?: string } = {},
) {
  const env = options.env ?? process.env;
  const out = { summarized: 0, asked: 0, summaries: [] as FailureSummary[] };
  if (!config.llm?.summaries || config.llm.maxSummaries === 0) return out;
  try {
    const run = await store.getRun(runId);
    const runKeys = new Set([runId, ...(run?.group ? [run.group] : [])]);
    const patterns = (await store.listFailurePatterns({ project: config.project })).filter((p) => p.runs.some((r) => runKeys.has(r)) && !bestKnownFix(p)).slice(0, config.llm.maxSummaries);
    if (patterns.length === 0) return out;
    const history = await store.listStrategyExecutions({ project: config.project, taskType: 'llm_summary', limit: 500 });
    const llm = openLlm(config, store, { env, executions: () => history, warn })!;
    const executions: StrategyExecution[] = [];
    const batch = summaryBatch(runId);
    for (const pattern of patterns) {
      const fixes = pattern.knownFixes.map((k) => (k.to ? `${k.strategy}: ${k.from ?? ''} → ${k.to}` : k.strategy));
      const result = await llm.summarize(pattern, options.spendKey ?? runId, fixes);
      out.asked += result.calls.length;
      const at = new Date().toISOString();
      for (const call of result.calls) {
        executions.push({ project: config.project, runId: batch, strategy: `llm:${call.model}`, taskType: 'llm_summary', complexity: 'simple', success: call.answer === 'summary', durationMs: call.durationMs, costUsd: call.costUsd, at });
      }
      if (result.kind === 'summary') {
        out.summarized++;
        out.summaries.push(result.summary);
      }
      if (result.kind === 'skipped') break; // budget or breaker: the rest wait for a later run
    }
    if (executions.length) await store.recordStrategyExecutions(batch, executions);
    await llm.flush();
  } catch (error) {
    warn(`medic: the failure summaries were not written: ${describeError(error)}`);
  }
  return out;
}
