import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { describeError, isMedicConfigError } from '../errors.js';
import { SharedBreakerOpenError, sharedBreaker, type BreakerBoard } from '../resilience/breakerBoard.js';
import type { PendingVectors } from './pendingVectors.js';
import type { VectorIndex } from './VectorIndex.js';

/** How long a server that failed is left alone before one call tries it again. */
export const SERVER_RETRY_AFTER_MS = 30_000;

export type FallbackOptions = {
  /** Where the writes the server misses wait (the local spool); without it they are only in the local index. */
  pending?: PendingVectors;
  /** Override of SERVER_RETRY_AFTER_MS (tests). */
  retryAfterMs?: number;
  /** Where the breaker is shared (the knowledge store): a server one process found down is not called by the others until it may be tried again. */
  board?: BreakerBoard;
};

/**
 * A server index (Chroma) in front of the local one: every vector is written to the local
 * index (the knowledge store holds them all, so nothing is lost) and to the server; queries go
 * to the server. When the server fails, a circuit breaker opens: queries are answered by the
 * local index, the server's writes wait in `pending` (the spool), and the server is tried again
 * after SERVER_RETRY_AFTER_MS; `warn` is called once. What waits is sent, in order, before the
 * server takes a new write or answers a query again (so it never answers from an incomplete
 * collection), at the next run or with `medic sync`.
 * @example const index = fallbackIndex(chromaIndex({ url, collection, embedder }), localIndex(store, collection, embedder), console.warn, { pending });
 */
export function fallbackIndex(
  server: VectorIndex & { location?: string; origin?: string },
  local: VectorIndex,
  warn: (message: string) => void,
  options: FallbackOptions = {},
): VectorIndex & { readonly serving: () => string } {
  // A bad argument (a wrong dimension) is the caller's fault, not the server's: it does not open the breaker.
  const halfOpenAfterMs = options.retryAfterMs ?? SERVER_RETRY_AFTER_MS;
  const breaker = sharedBreaker(circuitBreaker(handleWhen((error) => !isMedicConfigError(error)), { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(1) }), {
    board: options.board,
    name: server.kind,
    target: server.origin ?? server.location ?? server.kind,
    halfOpenAfterMs,
    warn,
  });
  const { pending } = options;
  let warned = false;
  let serving = server.kind;
  const failed = (error: unknown) => {
    if (isMedicConfigError(error)) throw error;
    serving = local.kind;
    if (warned) return;
    warned = true;
    const why = error instanceof SharedBreakerOpenError ? error.message : error instanceof BrokenCircuitError ? 'it failed before' : describeError(error);
    const kept = pending ? ` Its writes wait in ${pending.spoolPath} and are sent when it is back (next run, or npx medic sync).` : '';
    warn(`medic: the ${server.kind} vector index is unavailable (${why}); similar failures and successes are looked up in the local index for now.${kept}`);
  };
  /** Sends what waits; true when nothing waits any more. */
  const caughtUp = async (): Promise<boolean> => {
    if (!pending || pending.waiting() === 0) return true;
    try {
      const sent = await pending.replay({ upsert: (items) => breaker.execute(() => server.upsert(items)), delete: (ids) => breaker.execute(() => server.delete(ids)) }, isMedicConfigError);
      if (sent.refused.length) warn(`medic: ${sent.refused.length} writes kept for the ${server.kind} vector index were refused and dropped: ${sent.refused.join('; ')}`);
      if (sent.left === 0) return true;
      failed(sent.error);
      return false;
    } catch (error) {
      failed(error);
      return false;
    }
  };
  const write = async (send: () => Promise<void>, keep: () => void) => {
    if (!(await caughtUp())) {
      keep();
      return;
    }
    try {
      await breaker.execute(send);
      serving = server.kind;
    } catch (error) {
      failed(error);
      keep();
    }
  };
  const read = async <T>(ask: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    if (!(await caughtUp())) return fallback();
    try {
      const result = await breaker.execute(ask);
      serving = server.kind;
      return result;
    } catch (error) {
      failed(error);
      return fallback();
    }
  };
  return {
    kind: `${server.kind}+${local.kind}`,
    serving: () => serving,
    async upsert(items) {
      await local.upsert(items);
      await write(() => server.upsert(items), () => pending?.keepUpsert(items));
    },
    async query(vector, queryOptions) {
      return read(() => server.query(vector, queryOptions), () => local.query(vector, queryOptions));
    },
    async delete(ids) {
      await local.delete(ids);
      await write(() => server.delete(ids), () => pending?.keepDelete(ids));
    },
    async count(where) {
      return read(() => server.count(where), () => local.count(where));
    },
  };
}
