import type { MedicConfig } from '../config/schema.js';
import type { StrategyExecution } from '../learning/strategies.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { createLlm, type Llm } from './llm.js';
import { decisionSchema, DECISIONS_RECORD, summarySchema, SUMMARIES_RECORD } from './records.js';
import { storeMemo } from './memo.js';
import { openaiClient } from './openaiClient.js';
import { storeLedger } from './spend.js';

/**
 * The LLM layer of a configuration, on a store the caller owns (and closes); undefined when
 * `llm` is not configured. The key is read from the variable `llm.apiKeyEnv` names.
 * @example const llm = openLlm(config, store, { env: process.env, executions: () => [], warn: console.warn });
 */
export function openLlm(
  config: MedicConfig,
  store: KnowledgeStore,
  options: { env: NodeJS.ProcessEnv; executions: () => readonly StrategyExecution[]; warn: (message: string) => void; random?: () => number },
): Llm | undefined {
  const llm = config.llm;
  if (!llm) return undefined;
  const client = openaiClient({ ...(llm.baseURL ? { baseURL: llm.baseURL } : {}), apiKey: options.env[llm.apiKeyEnv] ?? '', timeoutMs: llm.timeoutMs, structured: llm.structured });
  return createLlm(llm, {
    client,
    ledger: storeLedger(store, config.project),
    decisions: storeMemo(store, config.project, DECISIONS_RECORD, decisionSchema),
    summaries: storeMemo(store, config.project, SUMMARIES_RECORD, summarySchema),
    executions: options.executions,
    board: store,
    warn: options.warn,
    ...(options.random ? { random: options.random } : {}),
  });
}
