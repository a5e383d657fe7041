import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import type { StrategyExecution } from '../learning/strategies.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { openStore } from '../store/open.js';
import type { Llm } from './llm.js';

/** The variable the reporter sets in `onBegin`: the run id every worker counts its LLM spending toward. */
export const RUN_ID_ENV = 'MEDIC_RUN_ID';

/**
 * A test worker's LLM layer: nothing is opened until the ranker first abstains; then the
 * knowledge store (for the shared budget, breaker and caches) and the client. Undefined when
 * `llm` is not configured (or `llm.repair` is off); a layer that cannot open says why once and stays off.
 * @example const layer = workerLlm(config, baseDir, executions, console.warn); … await layer?.close();
 */
export function workerLlm(config: MedicConfig, baseDir: string, executions: readonly StrategyExecution[], warn: (message: string) => void, env: NodeJS.ProcessEnv = process.env) {
  const llm = config.llm;
  if (!llm?.repair) return undefined;
  let store: KnowledgeStore | undefined;
  let opened: Promise<Llm | undefined> | undefined;
  const open = async (): Promise<Llm | undefined> => {
    try {
      // Loaded here, not with the fixture: a suite without the layer never loads the openai SDK.
      const { openLlm } = await import('./open.js');
      store = openStore(config, baseDir);
      return openLlm(config, store, { env, executions: () => executions, warn });
    } catch (error) {
      warn(`medic: the LLM layer is off in this worker: ${describeError(error)}`);
      return undefined;
    }
  };
  return {
    options: {
      repairer: () => (opened ??= open()),
      // Without the reporter (no run id), the budget is this runner process's (the workers' parent).
      runId: env[RUN_ID_ENV] || `runner-${process.ppid}`,
      maxCandidates: llm.maxCandidates,
      review: llm.reviewHeals,
    },
    close: async () => {
      const layer = await opened;
      await layer?.close().catch(() => undefined); // cancels a call still under way, then waits for the cache writes
      await store?.close().catch(() => undefined);
    },
  };
}
