/**
 * The vector collections the learners write: one vector per pattern, the vector's id the
 * pattern's id, its metadata carrying the pattern's `project`.
 * @example openVectorIndex(config, store, VECTOR_COLLECTIONS.failures, embedder)
 */
export const VECTOR_COLLECTIONS = {
  /** Failure patterns' vectors (patternLearner.ts); metadata `{ project, category, specific }`. */
  failures: 'failures',
  /** Success patterns' vectors (successLearner.ts); metadata `{ project }`. */
  successes: 'successes',
} as const;

export type VectorCollection = (typeof VECTOR_COLLECTIONS)[keyof typeof VECTOR_COLLECTIONS];

/** Every collection the learners write, for code that walks them all (export, doctor). */
export const VECTOR_COLLECTION_NAMES: readonly VectorCollection[] = Object.values(VECTOR_COLLECTIONS);
