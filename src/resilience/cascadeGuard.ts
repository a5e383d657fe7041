import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleType } from 'cockatiel';

/** Thrown into the breaker when the application under test is not answering. */
export class AppDownError extends Error {
  constructor(readonly evidence: string) {
    super(evidence);
    this.name = 'AppDownError';
  }
}

/** Error pages and network errors that say the application itself is down, not one element. */
const DOWN = /net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|INTERNET_DISCONNECTED|CONNECTION_TIMED_OUT)|ECONNREFUSED/;

/** Evidence that the app is down, from a page URL or an error message; undefined when there is none. */
export function appDownEvidence(pageUrl: string, error?: unknown): string | undefined {
  if (pageUrl.startsWith('chrome-error://')) return `the page shows the browser's error page (${pageUrl})`;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const match = DOWN.exec(message);
  return match ? `navigation failed with ${match[0]}` : undefined;
}

/**
 * Cascade guard: after `threshold` heal attempts in a row find the application down, healing
 * stops for the rest of the run (the breaker stays open) and `onOpen` says why, once.
 */
export class CascadeGuard {
  private readonly breaker;
  private reason = '';

  constructor(options: { threshold?: number; onOpen?: (reason: string) => void } = {}) {
    this.breaker = circuitBreaker(handleType(AppDownError), {
      halfOpenAfter: Number.MAX_SAFE_INTEGER,
      breaker: new ConsecutiveBreaker(options.threshold ?? 3),
    });
    this.breaker.onBreak(() => options.onOpen?.(this.reason));
  }

  get open(): boolean {
    return this.breaker.state === CircuitState.Open || this.breaker.state === CircuitState.Isolated;
  }

  /** Why healing stopped, once it has. */
  get why(): string {
    return this.reason;
  }

  /**
   * Runs one heal attempt; `undefined` when the guard is open or the attempt found the app down
   * (`work` throws AppDownError for that).
   */
  async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.breaker.execute(async () => {
        try {
          return await work();
        } catch (error) {
          if (error instanceof AppDownError) this.reason = error.evidence; // before the breaker counts it
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof AppDownError) return undefined;
      throw error;
    }
  }
}
