import type { MedicConfig } from '../config/schema.js';
import type { BreakerBoard } from '../resilience/breakerBoard.js';
import { hashingEmbedder, type Embedder } from './embedder.js';
import { openaiEmbedder } from './openaiEmbedder.js';

/**
 * The embedder the config names: the offline hashing one, or an OpenAI-compatible endpoint
 * with its key read from the variable `embedder.apiKeyEnv` names, its breaker shared through
 * `board` (the knowledge store) when given.
 * @example const embedder = openEmbedder(config, process.env, store);
 */
export function openEmbedder(config: Pick<MedicConfig, 'embedder'>, env: NodeJS.ProcessEnv = process.env, board?: BreakerBoard): Embedder {
  const e = config.embedder;
  if (e.kind === 'hashing') return hashingEmbedder();
  return openaiEmbedder({
    ...(e.baseURL ? { baseURL: e.baseURL } : {}),
    apiKey: env[e.apiKeyEnv] ?? '',
    model: e.model!,
    dimension: e.dimension!,
    batchSize: e.batchSize,
    timeoutMs: e.timeoutMs,
  }, board ? { board } : {});
}
