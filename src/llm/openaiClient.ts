import type OpenAI from 'openai';
import { z } from 'zod';
import { describeError, MedicConfigError } from '../errors.js';
import { LlmCallError, type ChatReply, type ChatRequest, type LlmClient } from './client.js';
import { loadOpenAI, type OpenAIModule } from './openaiSdk.js';

export const openaiClientOptionsSchema = z
  .object({
    /** Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1; unset: the OpenAI API. */
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** The key itself ('' for a local server that takes none). */
    apiKey: z.string(),
    /** Per request. */
    timeoutMs: z.number().int().positive(),
    /** How the answer's JSON shape is asked for (see llm.structured). */
    structured: z.enum(['auto', 'json_schema', 'json_object', 'none']).default('auto'),
  })
  .strict();
export type OpenAIClientOptions = z.input<typeof openaiClientOptionsSchema>;

const OPENAI_API = 'https://api.openai.com/v1';

/** What a model's server was found to take; learned from its 400s, kept per client and model. */
type Accepts = { format: boolean; tokenField: 'max_tokens' | 'max_completion_tokens'; temperature: boolean };
// max_tokens first: Ollama, vLLM and llama.cpp all take it; OpenAI's reasoning models refuse it and get max_completion_tokens.
const FIRST_TRY: Accepts = { format: true, tokenField: 'max_tokens', temperature: true };

const REFUSED = /unsupported|not supported|only the default|unrecognized|unknown (field|parameter)|extra inputs/i;
const NAMES_FORMAT = /response_format|json_schema|structured output/i;

/** A 400 or 422 whose text says which parameter the server does not take. */
function refusal(error: unknown, sdk: OpenAIModule): string | undefined {
  if (!(error instanceof sdk.APIError) || (error.status !== 400 && error.status !== 422)) return undefined;
  return `${error.param ?? ''} ${error.message}`;
}

/**
 * What to send instead after a refusal, or undefined when the error is not one we can adapt to.
 * Each change turns something off for good, so a call makes at most four requests, and only
 * the first call to a model of a server learns them.
 */
function adapt(error: unknown, sdk: OpenAIModule, accepts: Accepts, sentFormat: boolean, mode: string): Accepts | undefined {
  const said = refusal(error, sdk);
  if (said === undefined) return undefined;
  if (accepts.tokenField === 'max_tokens' && /max_tokens/.test(said) && (REFUSED.test(said) || /max_completion_tokens/.test(said))) {
    return { ...accepts, tokenField: 'max_completion_tokens' };
  }
  if (accepts.temperature && /temperature/.test(said) && REFUSED.test(said)) return { ...accepts, temperature: false };
  if (mode === 'auto' && sentFormat && (NAMES_FORMAT.test(said) || (REFUSED.test(said) && !/max_tokens|temperature/.test(said)))) {
    return { ...accepts, format: false };
  }
  return undefined;
}

/** The deepest message or code under an SDK connection error (it says only "Connection error."). */
function rootCause(error: unknown): string {
  let at: unknown = error;
  for (let depth = 0; depth < 5 && at instanceof Error && at.cause !== undefined; depth++) at = at.cause;
  const code = (at as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} (${describeError(at)})` : describeError(at);
}

/** The SDK's error as an LlmCallError that says what failed and what to change. */
function callError(error: unknown, sdk: OpenAIModule, at: { target: string; model: string; timeoutMs: number; mode: string; keyless: boolean }): LlmCallError {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  const call = `The LLM call to ${at.target} (model ${at.model})`;
  const doctor = 'check the endpoint with `npx medic doctor`';
  if (error instanceof APIUserAbortError) return new LlmCallError('request', `${call} was cancelled: the test worker closed.`, { cause: error });
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmCallError('timeout', `${call} got no answer within ${at.timeoutMs} ms.`, { fix: `raise llm.timeoutMs (now ${at.timeoutMs}), use a faster model, or ${doctor}`, cause: error });
  }
  if (error instanceof APIConnectionError || (error instanceof APIError && error.status === undefined)) {
    return new LlmCallError('network', `${call} could not connect: ${rootCause(error)}.`, { fix: `check llm.baseURL (${at.target}) and that the server is running; ${doctor}`, cause: error });
  }
  if (!(error instanceof APIError)) {
    return new LlmCallError('server', `${call} failed: ${describeError(error)}`, { fix: `check that llm.baseURL (${at.target}) is an OpenAI-compatible /v1 endpoint; ${doctor}`, cause: error });
  }
  const status = error.status as number;
  const failed = `${call} failed with HTTP ${error.message}`;
  if (status === 429) {
    return new LlmCallError('rate_limit', `${failed}.`, { fix: 'wait, or raise the account\'s rate limit; the next model in llm.models is tried meanwhile', cause: error, status });
  }
  if (status === 408) return new LlmCallError('timeout', `${failed}.`, { fix: `use a faster model or ${doctor}`, cause: error, status });
  if (status >= 500) return new LlmCallError('server', `${failed}.`, { fix: `the server failed: see its logs, or ${doctor}`, cause: error, status });
  if (status === 401 || status === 403) {
    const key = at.keyless ? 'no key was set: set' : 'set';
    return new LlmCallError('auth', `${failed}.`, { fix: `${key} the variable named by llm.apiKeyEnv (default OPENAI_API_KEY) to a key ${at.target} accepts; ${doctor}`, cause: error, status });
  }
  if (status === 404) {
    return new LlmCallError('request', `${failed}.`, { fix: `check that llm.models names models ${at.target} serves (GET ${at.target}/models) and that llm.baseURL ends in /v1`, cause: error, status });
  }
  const fix =
    at.mode !== 'auto' && NAMES_FORMAT.test(refusal(error, sdk) ?? '')
      ? `this server does not take the ${at.mode} response format: set llm.structured to 'auto' (or 'none')`
      : 'check llm.models and llm.structured (\'none\' for a server without JSON response formats)';
  return new LlmCallError('request', `${failed}.`, { fix, cause: error, status });
}

/**
 * A signal for one SDK call that follows `outer` until `unlink`. The SDK adds an abort listener
 * to the signal it is given and never removes it, so a signal that outlives the calls (the LLM
 * layer's "the worker is closing") gathered one listener per call: a leak, and Node's
 * MaxListenersExceededWarning in the test output after ten calls.
 */
function callSignal(outer: AbortSignal | undefined): { signal?: AbortSignal; unlink: () => void } {
  if (!outer) return { unlink: () => {} };
  const inner = new AbortController();
  const follow = () => inner.abort(outer.reason);
  if (outer.aborted) follow();
  else outer.addEventListener('abort', follow, { once: true });
  return { signal: inner.signal, unlink: () => outer.removeEventListener('abort', follow) };
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.unknown() }).nullish() })),
  usage: z.unknown(),
});
const usageSchema = z.object({ prompt_tokens: z.number().min(0).transform(Math.round), completion_tokens: z.number().min(0).transform(Math.round) });

/**
 * An LlmClient over any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure, Ollama, vLLM,
 * llama.cpp) through the `openai` SDK, at temperature 0.
 *
 * - `structured: 'auto'` sends the request's schema as a strict json_schema response format; a
 *   server that refuses it (400/422 naming response_format/json_schema, or "unsupported") is asked
 *   once more without it, and never again for that model. `json_schema` always sends it,
 *   `json_object` sends `{ type: 'json_object' }` (OpenAI wants the word "JSON" in the messages
 *   then), `none` never sends one.
 * - The token limit goes as `max_tokens` (what local servers take); a model that refuses it, or
 *   temperature 0 (OpenAI's reasoning models), is asked again with `max_completion_tokens` or
 *   without temperature, also remembered per model.
 * - No retries of failures: every error is an LlmCallError (`failure` says which kind) for the
 *   caller, which escalates to another model and keeps the breaker.
 * - A reply without content (null, a refusal, no choices) has text '': the caller's strict
 *   parse rejects it like any other unusable answer.
 * @example
 * const llm = openaiClient({ baseURL: 'http://localhost:11434/v1', apiKey: '', timeoutMs: 30_000 });
 * const reply = await llm.chat({ model: 'qwen2.5:7b', messages, schema: { name: 'choice', schema }, maxTokens: 300 });
 */
export function openaiClient(options: OpenAIClientOptions): LlmClient {
  const parsed = openaiClientOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new MedicConfigError(`The LLM client's options are invalid: ${z.prettifyError(parsed.error)}`, {
      fix: "use llm: { baseURL?: 'http://host/v1', models: ['…'], timeoutMs: 30000, structured: 'auto' }",
    });
  }
  const o = parsed.data;
  const target = o.baseURL ?? OPENAI_API;
  let client: OpenAI | undefined;
  const clientOf = (sdk: OpenAIModule) => (client ??= new sdk.default({ apiKey: o.apiKey || 'none', ...(o.baseURL ? { baseURL: o.baseURL } : {}), timeout: o.timeoutMs, maxRetries: 0 }));
  const learned = new Map<string, Accepts>();
  // The SDK takes whole milliseconds.
  const callTimeout = (request: ChatRequest) => Math.max(1, Math.floor(Math.min(request.timeoutMs ?? o.timeoutMs, o.timeoutMs)));

  const formatFor = (request: ChatRequest, accepts: Accepts): OpenAI.Chat.Completions.ChatCompletionCreateParams['response_format'] => {
    if (o.structured === 'none' || (o.structured === 'auto' && !accepts.format)) return undefined;
    if (o.structured === 'json_object') return { type: 'json_object' };
    // OpenAI takes names of [a-zA-Z0-9_-]{1,64} only.
    const name = request.schema.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';
    return { type: 'json_schema', json_schema: { name, schema: request.schema.schema, strict: true } };
  };

  return {
    target,
    async chat(request: ChatRequest): Promise<ChatReply> {
      const sdk = await loadOpenAI();
      const client = clientOf(sdk);
      let accepts = learned.get(request.model) ?? FIRST_TRY;
      for (;;) {
        const format = formatFor(request, accepts);
        let completion: unknown;
        const { signal, unlink } = callSignal(request.signal);
        try {
          completion = await client.chat.completions.create({
            model: request.model,
            messages: request.messages,
            ...(accepts.tokenField === 'max_tokens' ? { max_tokens: request.maxTokens } : { max_completion_tokens: request.maxTokens }),
            ...(accepts.temperature ? { temperature: 0 } : {}),
            ...(format ? { response_format: format } : {}),
          }, { timeout: callTimeout(request), ...(signal ? { signal } : {}) });
        } catch (error) {
          const next = adapt(error, sdk, accepts, format !== undefined, o.structured);
          if (!next) throw callError(error, sdk, { target, model: request.model, timeoutMs: callTimeout(request), mode: o.structured, keyless: !o.apiKey });
          accepts = next;
          learned.set(request.model, next);
          continue;
        } finally {
          unlink();
        }
        const shape = completionSchema.safeParse(completion);
        if (!shape.success) {
          throw new LlmCallError('server', `The LLM at ${target} (model ${request.model}) answered something that is not a chat completion.`, {
            fix: `check that llm.baseURL (${target}) is an OpenAI-compatible /v1 endpoint`,
          });
        }
        const content = shape.data.choices[0]?.message?.content;
        const usage = usageSchema.safeParse(shape.data.usage);
        return {
          text: typeof content === 'string' ? content : '',
          usage: usage.success ? { promptTokens: usage.data.prompt_tokens, completionTokens: usage.data.completion_tokens } : undefined,
          structured: format !== undefined,
        };
      }
    },
  };
}
