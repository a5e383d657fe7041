import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { executionsOfRun, rankStrategies, type StrategyRankOptions, type StrategyScore } from './strategies.js';

/**
 * Records what the strategies of one recorded run did (its heals and retries) into the
 * strategy performance tracker; recording the run again replaces, never adds.
 * @returns how many executions the run had
 */
export async function learnStrategies(store: KnowledgeStore, runId: string): Promise<number> {
  const run = await store.getRun(runId);
  if (!run) return 0;
  const executions = executionsOfRun(run.project, runId, await store.listHeals({ runId }), await store.listAttempts({ runId }));
  await store.recordStrategyExecutions(runId, executions);
  return executions.length;
}

/**
 * The strategies tried at a task type, best first (`rankStrategies` on the stored executions).
 * @example (await bestStrategyFor(store, 'shop', 'selector_missing'))[0]?.strategy
 */
export async function bestStrategyFor(store: KnowledgeStore, project: string, taskType: string, options: StrategyRankOptions = {}): Promise<StrategyScore[]> {
  return rankStrategies(await store.listStrategyExecutions({ project, taskType }), taskType, options);
}
