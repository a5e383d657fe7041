import type { Metadata, Where } from './records.js';

/** A nearest neighbour: `score` is the cosine similarity, −1…1. */
export type VectorHit = { id: string; score: number; metadata: Metadata };

/**
 * Similarity search over stored vectors, behind a narrow interface: `local` (vectors kept in
 * the KnowledgeStore, exact cosine search) now, Chroma in a later issue.
 */
export interface VectorIndex {
  readonly kind: string;
  /** Adds or replaces vectors by id; all of one call have the index's dimension. */
  upsert(items: readonly { id: string; vector: ArrayLike<number>; metadata?: Metadata }[]): Promise<void>;
  /** The `k` most similar, best first, among those whose metadata passes `where`. */
  query(vector: ArrayLike<number>, options?: { k?: number; where?: Where }): Promise<VectorHit[]>;
  delete(ids: readonly string[]): Promise<void>;
  count(where?: Where): Promise<number>;
}
