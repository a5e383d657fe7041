import type { MedicConfig } from '../config/schema.js';
import type { Spool } from '../resilience/spool.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { chromaIndex } from './chromaIndex.js';
import type { Embedder } from './embedder.js';
import { fallbackIndex } from './fallbackIndex.js';
import { localIndex } from './localIndex.js';
import { pendingVectors, vectorSpoolTarget } from './pendingVectors.js';
import type { VectorIndex } from './VectorIndex.js';

/**
 * The vector index the config names for a collection: the local one (vectors in the knowledge
 * store), or Chroma in front of it (see fallbackIndex: when Chroma is down, `warn` is called,
 * the local index answers, and Chroma's writes wait in `spool` until it is back; its breaker is
 * shared through `store`, so the other processes of the store skip a Chroma found down).
 * @example const index = openVectorIndex(config, store, 'failures', embedder, warnOnce, spool);
 */
export function openVectorIndex(
  config: Pick<MedicConfig, 'vectors'>,
  store: KnowledgeStore,
  collection: string,
  embedder: Pick<Embedder, 'id' | 'dimension'>,
  warn: (message: string) => void = console.warn,
  spool?: Spool,
): VectorIndex {
  const local = localIndex(store, collection, embedder);
  if (config.vectors.kind === 'local') return local;
  const scope = { url: config.vectors.url!, prefix: config.vectors.prefix, collection, embedder: { id: embedder.id, dimension: embedder.dimension } };
  const server = chromaIndex({ ...scope, embedder });
  return fallbackIndex(server, local, warn, { board: store, ...(spool ? { pending: pendingVectors(spool, vectorSpoolTarget(server.location), scope) } : {}) });
}
