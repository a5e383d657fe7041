import { hostname } from 'node:os';
import { BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { z } from 'zod';
import { describeError } from '../errors.js';

/**
 * A circuit breaker of a backend (Chroma, an embedder endpoint, an LLM endpoint) as every
 * process sharing the knowledge store sees it: `open` until `until`, or `closed` (removes it).
 */
export const breakerStateSchema = z.object({
  /** The kind of backend: `chroma`, `embedder`, `llm`. */
  name: z.string().min(1).max(100),
  /** Which one: its URL (several processes share a breaker when they call the same backend). */
  target: z.string().min(1).max(2000),
  state: z.enum(['open', 'closed']),
  /** Why it opened: the error that opened it. */
  reason: z.string().max(1000),
  openedAt: z.iso.datetime(),
  /** When a call may try the backend again. */
  until: z.iso.datetime(),
  /** The process that opened it (`host/pid`). */
  by: z.string().max(300),
});
export type BreakerState = z.infer<typeof breakerStateSchema>;

/** Where breakers are shared: the knowledge store (hot state; never spooled). */
export interface BreakerBoard {
  /** Publishes a breaker; `closed` removes it. */
  putBreaker(state: BreakerState): Promise<void>;
  /** The breakers open now (`until` not passed), by name then target. */
  listBreakers(): Promise<BreakerState[]>;
}

/** The breakers of `states` still open at `now`, validated, by name then target (what every adapter lists). */
export function openBreakers(states: readonly unknown[], now = Date.now()): BreakerState[] {
  return states
    .map((s) => breakerStateSchema.safeParse(s))
    .flatMap((p) => (p.success && p.data.state === 'open' && Date.parse(p.data.until) > now ? [p.data] : []))
    .sort((a, b) => a.name.localeCompare(b.name) || a.target.localeCompare(b.target));
}

/** Thrown instead of calling a backend that another process found down (its breaker is open in the store). */
export class SharedBreakerOpenError extends BrokenCircuitError {
  constructor(readonly shared: BreakerState) {
    super(`the ${shared.name} at ${shared.target} failed for ${shared.by} at ${shared.openedAt} (${shared.reason}); not called until ${shared.until}`);
    this.name = 'SharedBreakerOpenError';
  }
}

export type SharedBreaker = {
  /** Runs `fn` through the breaker; throws SharedBreakerOpenError while another process has it open. */
  execute<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves when what this breaker published has reached the store. */
  flush(): Promise<void>;
};

/** How long a read of the board is reused before the next call reads it again. */
const READ_EVERY_MS = 1_000;

export type SharedBreakerOptions = {
  board: BreakerBoard | undefined;
  name: string;
  target: string;
  /** The breaker's halfOpenAfter: how long the published opening lasts. */
  halfOpenAfterMs: number;
  /** Told once when the board itself cannot be used (the breaker then works for this process alone). */
  warn?: (message: string) => void;
};

/**
 * Shares a cockatiel breaker through the store: when it opens here, the opening is published
 * (with its reason, for `halfOpenAfterMs`), and every process sharing the store skips the
 * backend until then instead of waiting for its own failures and timeouts (shards on many
 * machines, the workers and the reporter of one run). When it closes again after a call that
 * worked, the opening is removed. Without a board it is the breaker alone.
 * @example const breaker = sharedBreaker(circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(1) }), { board: store, name: 'chroma', target: url, halfOpenAfterMs: 30_000 });
 */
export function sharedBreaker(policy: CircuitBreakerPolicy, options: SharedBreakerOptions): SharedBreaker {
  const { board, name, target, halfOpenAfterMs } = options;
  if (!board) return { execute: (fn) => policy.execute(fn), flush: async () => undefined };
  const by = `${hostname()}/${process.pid}`;
  let warned = false;
  const quietly = async <T>(what: () => Promise<T>, otherwise: T): Promise<T> => {
    try {
      return await what();
    } catch (error) {
      if (!warned) options.warn?.(`medic: the ${name} breaker cannot be shared through the store (${describeError(error)}); this process decides alone.`);
      warned = true;
      return otherwise;
    }
  };
  let read: { at: number; open: BreakerState | undefined } | undefined;
  let published: Promise<unknown> = Promise.resolve();
  /** This breaker's own opening, which its own state answers for. */
  let own: BreakerState | undefined;
  const publish = (state: BreakerState) => {
    own = state.state === 'open' ? state : undefined;
    read = { at: Date.now(), open: state.state === 'open' ? state : undefined };
    published = published.then(() => quietly(() => board.putBreaker(state), undefined));
  };
  policy.onBreak((why) => {
    const reason = 'error' in why ? describeError(why.error).slice(0, 1000) : 'isolated';
    const now = Date.now();
    publish({ name, target, state: 'open', reason, openedAt: new Date(now).toISOString(), until: new Date(now + halfOpenAfterMs).toISOString(), by });
  });
  policy.onReset(() => {
    const now = new Date().toISOString();
    publish({ name, target, state: 'closed', reason: '', openedAt: now, until: now, by });
  });
  // One read of the board at a time, shared by the calls that wait for it.
  let reading: Promise<void> | undefined;
  const sharedOpen = async (): Promise<BreakerState | undefined> => {
    if (!read || Date.now() - read.at >= READ_EVERY_MS) {
      reading ??= quietly(() => board.listBreakers(), [])
        .then((all) => void (read = { at: Date.now(), open: all.find((s) => s.name === name && s.target === target) }))
        .finally(() => (reading = undefined));
      await reading;
    }
    return read?.open && Date.parse(read.open.until) > Date.now() ? read.open : undefined;
  };
  return {
    async execute(fn) {
      const open = await sharedOpen();
      if (open && !(own && open.by === own.by && open.openedAt === own.openedAt)) throw new SharedBreakerOpenError(open);
      return policy.execute(fn);
    },
    flush: () => published.then(() => undefined),
  };
}
