import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { describeError } from '../errors.js';
import type { VectorIndex } from './VectorIndex.js';

/** How long a server that failed is left alone before one call tries it again. */
export const SERVER_RETRY_AFTER_MS = 30_000;

/**
 * A server index (Chroma) in front of the local one: every vector is written to the local
 * index (the knowledge store holds them all, so nothing is lost) and to the server; queries go
 * to the server. When the server fails, a circuit breaker opens: queries are answered by the
 * local index and the server is tried again after SERVER_RETRY_AFTER_MS; `warn` is called once.
 * @example const index = fallbackIndex(chromaIndex({ url, collection, embedder }), localIndex(store, collection, embedder), console.warn);
 */
export function fallbackIndex(server: VectorIndex & { location?: string }, local: VectorIndex, warn: (message: string) => void): VectorIndex & { readonly serving: () => string } {
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: SERVER_RETRY_AFTER_MS, breaker: new ConsecutiveBreaker(1) });
  let warned = false;
  let serving = server.kind;
  const onServer = async <T>(action: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    try {
      const result = await breaker.execute(action);
      serving = server.kind;
      return result;
    } catch (error) {
      serving = local.kind;
      if (!warned) {
        warned = true;
        const why = error instanceof BrokenCircuitError ? 'it failed before' : describeError(error);
        warn(`medic: the ${server.kind} vector index is unavailable (${why}); similar failures and successes are looked up in the local index for now.`);
      }
      return fallback();
    }
  };
  return {
    kind: `${server.kind}+${local.kind}`,
    serving: () => serving,
    async upsert(items) {
      await local.upsert(items);
      await onServer(() => server.upsert(items), async () => undefined);
    },
    async query(vector, options) {
      return onServer(() => server.query(vector, options), () => local.query(vector, options));
    },
    async delete(ids) {
      await local.delete(ids);
      await onServer(() => server.delete(ids), async () => undefined);
    },
    async count(where) {
      return onServer(() => server.count(where), () => local.count(where));
    },
  };
}
