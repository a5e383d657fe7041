import type { MedicConfig } from '../config/schema.js';
import { hashingEmbedder, type Embedder } from './embedder.js';
import { openaiEmbedder } from './openaiEmbedder.js';

/**
 * The embedder the config names: the offline hashing one, or an OpenAI-compatible endpoint
 * with its key read from the variable `embedder.apiKeyEnv` names.
 * @example const embedder = openEmbedder(config);
 */
export function openEmbedder(config: Pick<MedicConfig, 'embedder'>, env: NodeJS.ProcessEnv = process.env): Embedder {
  const e = config.embedder;
  if (e.kind === 'hashing') return hashingEmbedder();
  return openaiEmbedder({
    ...(e.baseURL ? { baseURL: e.baseURL } : {}),
    apiKey: env[e.apiKeyEnv] ?? '',
    model: e.model!,
    dimension: e.dimension!,
    batchSize: e.batchSize,
    timeoutMs: e.timeoutMs,
  });
}
