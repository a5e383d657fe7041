import type { MedicConfig } from '../config/schema.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { chromaIndex } from './chromaIndex.js';
import type { Embedder } from './embedder.js';
import { fallbackIndex } from './fallbackIndex.js';
import { localIndex } from './localIndex.js';
import type { VectorIndex } from './VectorIndex.js';

/**
 * The vector index the config names for a collection: the local one (vectors in the knowledge
 * store), or Chroma in front of it (see fallbackIndex: when Chroma is down, `warn` is called and
 * the local index answers).
 * @example const index = openVectorIndex(config, store, 'failures', embedder, warnOnce);
 */
export function openVectorIndex(
  config: Pick<MedicConfig, 'vectors'>,
  store: KnowledgeStore,
  collection: string,
  embedder: Pick<Embedder, 'id' | 'dimension'>,
  warn: (message: string) => void = console.warn,
): VectorIndex {
  const local = localIndex(store, collection, embedder);
  if (config.vectors.kind === 'local') return local;
  return fallbackIndex(chromaIndex({ url: config.vectors.url!, collection, embedder, prefix: config.vectors.prefix }), local, warn);
}
