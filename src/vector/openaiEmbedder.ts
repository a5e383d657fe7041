import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, retry, BrokenCircuitError } from 'cockatiel';
import type OpenAI from 'openai';
import { z } from 'zod';
import { describeError, MedicConfigError, MedicError } from '../errors.js';
import { SharedBreakerOpenError, sharedBreaker, type BreakerBoard } from '../resilience/breakerBoard.js';
import { loadOpenAI, type OpenAIModule } from '../llm/openaiSdk.js';
import { normalize, type Embedder } from './embedder.js';

/** The embedder's endpoint failed, refused the request or answered something unusable. */
export class MedicEmbedderError extends MedicError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('MEDIC_EMBEDDER', message, options);
    this.name = 'MedicEmbedderError';
  }
}

export const openaiEmbedderOptionsSchema = z
  .object({
    /** Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1; unset: the OpenAI API. */
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    apiKey: z.string().default(''),
    /** The embedding model, e.g. text-embedding-3-small. */
    model: z.string().min(1),
    /** The length of the model's vectors; every answer is checked against it. */
    dimension: z.number().int().min(1).max(65536),
    /** Send `dimensions` with each request (models that can shorten their vectors, like text-embedding-3-*). */
    requestDimensions: z.boolean().default(false),
    /** Texts per request. */
    batchSize: z.number().int().min(1).max(2048).default(64),
    timeoutMs: z.number().int().positive().default(30_000),
    /** Tries per request on 429, 5xx, timeouts and refused connections (exponential backoff). */
    attempts: z.number().int().min(1).max(10).default(4),
    /** Failed requests in a row that open the breaker (no more calls for `halfOpenAfterMs`). */
    breakAfter: z.number().int().min(1).default(3),
    halfOpenAfterMs: z.number().int().min(0).default(30_000),
    /** The first backoff delay; doubles each try, up to 5 s. */
    initialDelayMs: z.number().int().min(0).default(200),
  })
  .strict();
export type OpenAIEmbedderOptions = z.input<typeof openaiEmbedderOptionsSchema>;

/** Which endpoint and model an embedder's breaker is for (one breaker per model of an endpoint). */
export const embedderTarget = (baseURL: string | undefined, model: string) => `${baseURL ?? 'https://api.openai.com/v1'} ${model}`;

/** Worth another try: rate limits, server errors, timeouts and connections that failed. */
function transient(error: unknown, sdk: OpenAIModule | undefined): boolean {
  if (!sdk) return false; // not loaded: not an error of the SDK
  if (error instanceof sdk.APIConnectionError) return true;
  return error instanceof sdk.APIError && (error.status === 429 || error.status === 408 || (error.status ?? 0) >= 500);
}

/**
 * Embeddings from an OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp) through
 * the `openai` SDK: texts sent in batches of `batchSize`, each request retried with backoff on
 * 429/5xx/timeouts, a circuit breaker after `breakAfter` failures in a row, and every answer
 * checked (one vector per text, in order, of `dimension` numbers), then L2-normalised.
 * @example const embedder = openaiEmbedder({ baseURL: 'http://localhost:11434/v1', model: 'nomic-embed-text', dimension: 768 });
 */
export function openaiEmbedder(options: OpenAIEmbedderOptions, shared: { board?: BreakerBoard; warn?: (message: string) => void } = {}): Embedder {
  const parsed = openaiEmbedderOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new MedicConfigError(`The openai embedder's options are invalid: ${z.prettifyError(parsed.error)}`, {
      fix: "use embedder: { kind: 'openai', model: 'text-embedding-3-small', dimension: 1536, baseURL?: 'http://host/v1' }",
    });
  }
  const o = parsed.data;
  // The SDK is loaded by the first request (loadOpenAI): a suite whose embedder is not `openai` never loads it.
  let sdk: OpenAIModule | undefined;
  let client: OpenAI | undefined;
  const clientOf = async () => {
    sdk ??= await loadOpenAI();
    return (client ??= new sdk.default({ apiKey: o.apiKey || 'none', ...(o.baseURL ? { baseURL: o.baseURL } : {}), timeout: o.timeoutMs, maxRetries: 0 }));
  };
  const isTransient = (error: unknown) => transient(error, sdk);
  const where = o.baseURL ?? 'the OpenAI API';
  // Retry outside, breaker inside: every failed request counts toward opening it, and an open breaker is not retried.
  // The breaker is shared through the store (when given): an endpoint another process found down is not called.
  const retries = retry(handleWhen(isTransient), { maxAttempts: o.attempts - 1, backoff: new ExponentialBackoff({ initialDelay: o.initialDelayMs, maxDelay: 5000 }) });
  const breaker = sharedBreaker(circuitBreaker(handleWhen(isTransient), { halfOpenAfter: o.halfOpenAfterMs, breaker: new ConsecutiveBreaker(o.breakAfter) }), {
    board: shared.board,
    name: 'embedder',
    target: embedderTarget(o.baseURL, o.model),
    halfOpenAfterMs: o.halfOpenAfterMs,
    ...(shared.warn ? { warn: shared.warn } : {}),
  });

  const batch = async (texts: string[]): Promise<Float32Array[]> => {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      const client = await clientOf();
      response = await retries.execute(() =>
        breaker.execute(() => client.embeddings.create({ model: o.model, input: texts, encoding_format: 'float', ...(o.requestDimensions ? { dimensions: o.dimension } : {}) })),
      );
    } catch (error) {
      if (error instanceof SharedBreakerOpenError) {
        throw new MedicEmbedderError(`The embedder is not called: ${error.message}.`, {
          fix: 'check that the endpoint is up (`npx medic doctor`), or use the offline embedder: embedder: { kind: \'hashing\' }',
          cause: error,
        });
      }
      if (error instanceof BrokenCircuitError) {
        throw new MedicEmbedderError(`The embedder at ${where} failed ${o.breakAfter} times in a row; no calls for ${o.halfOpenAfterMs / 1000} s.`, {
          fix: 'check that the endpoint is up (`npx medic doctor`), or use the offline embedder: embedder: { kind: \'hashing\' }',
          cause: error,
        });
      }
      throw new MedicEmbedderError(`The embedder at ${where} (model ${o.model}) failed: ${describeError(error)}`, {
        fix: isTransient(error) ? 'check that the endpoint is up and not rate-limiting (`npx medic doctor`)' : 'check embedder.model, embedder.baseURL and the API key variable',
        cause: error,
      });
    }
    const data = Array.isArray(response?.data) ? [...response.data] : [];
    if (data.length !== texts.length) {
      throw new MedicEmbedderError(`The embedder at ${where} answered ${data.length} vectors for ${texts.length} texts.`, { fix: 'use an endpoint that speaks the OpenAI Embeddings API' });
    }
    data.sort((a, b) => a.index - b.index);
    return data.map((d) => {
      const v = d.embedding;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
        throw new MedicEmbedderError(`The embedder at ${where} answered a vector that is not a list of numbers.`, { fix: 'use an endpoint that speaks the OpenAI Embeddings API (encoding_format float)' });
      }
      if (v.length !== o.dimension) {
        throw new MedicEmbedderError(`The model ${o.model} at ${where} answers vectors of ${v.length} dimensions; embedder.dimension is ${o.dimension}.`, {
          fix: `set embedder.dimension to ${v.length} (vectors of the old dimension are kept apart, not compared)`,
        });
      }
      return normalize(Float32Array.from(v));
    });
  };

  return {
    id: `openai:${o.model}:${o.dimension}`,
    dimension: o.dimension,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += o.batchSize) out.push(...(await batch(texts.slice(i, i + o.batchSize))));
      return out;
    },
  };
}
