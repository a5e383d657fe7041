import { isMedicError, MedicError } from '../errors.js';

/** One message of a chat request. */
export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** What one call asks a model. */
export type ChatRequest = {
  model: string;
  messages: ChatMessage[];
  /**
   * The JSON schema the answer must follow (sent as a `json_schema` response format where the
   * server takes it; the answer is parsed strictly either way).
   */
  schema: { name: string; schema: Record<string, unknown> };
  maxTokens: number;
  /** This call's timeout, when shorter than the client's (what is left of the test's time). */
  timeoutMs?: number;
  /** Aborts the call (the worker is closing). */
  signal?: AbortSignal;
};

/** Tokens one call used, as the server counted them. */
export type TokenUsage = { promptTokens: number; completionTokens: number };

/** What a model answered: its text (not yet parsed) and the tokens it cost. */
export type ChatReply = {
  text: string;
  /** Undefined when the server did not say. */
  usage: TokenUsage | undefined;
  /** Whether the call that answered carried a JSON response format (json_schema or json_object; false after a server refused it). */
  structured: boolean;
};

/**
 * A chat-completions endpoint, narrowed to the one call playwright-medic makes. Adapters: the
 * `openai` SDK (openaiClient.ts), which speaks to OpenAI and any compatible server.
 */
export interface LlmClient {
  /** Where calls go, for messages and the circuit breaker (a base URL). */
  readonly target: string;
  /** Throws LlmCallError when the call fails. */
  chat(request: ChatRequest): Promise<ChatReply>;
}

/** Why a call failed: worth another model or a later try (`timeout`, `rate_limit`, `server`, `network`) or not (`auth`, `request`). */
export type LlmFailure = 'timeout' | 'rate_limit' | 'server' | 'network' | 'auth' | 'request';

/** A call to the LLM endpoint failed (the SDK's error is the cause). */
export class LlmCallError extends MedicError {
  /** The HTTP status the server answered (undefined: no answer, e.g. a timeout or a refused connection). */
  readonly status: number | undefined;
  constructor(
    readonly failure: LlmFailure,
    message: string,
    options: { fix?: string; cause?: unknown; status?: number } = {},
  ) {
    super('MEDIC_LLM', message, options);
    this.name = 'LlmCallError';
    this.status = options.status;
  }
}

/**
 * True for an LlmCallError, even one thrown by another loaded copy of this package.
 * @example if (isLlmCallError(error) && isTransientFailure(error.failure)) tryNextModel();
 */
export function isLlmCallError(value: unknown): value is LlmCallError {
  return isMedicError(value) && value.code === 'MEDIC_LLM' && typeof (value as { failure?: unknown }).failure === 'string';
}

/** Failures that say the endpoint is unwell (they count toward opening the breaker). */
export const isTransientFailure = (failure: LlmFailure) => failure === 'timeout' || failure === 'rate_limit' || failure === 'server' || failure === 'network';
