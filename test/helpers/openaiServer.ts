import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type EmbeddingsRequest = { input: string[]; model: string; dimensions?: number; auth: string | undefined };

/** A vector that says which words a text has (word hashes into `dimension` slots), so similar texts are near. */
export const vectorOf = (text: string, dimension: number): number[] => {
  const v = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) v[[...word].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % dimension, 7)]! += 2;
  return v;
};

/** Answers one `POST /v1/embeddings` (recorded in `state.requests`; `state.status` set: that error instead). */
function embeddings(state: { status: number; requests: EmbeddingsRequest[] }, dimension: number, body: string, req: IncomingMessage, res: ServerResponse) {
  const parsed = JSON.parse(body) as { input: string | string[]; model: string };
  const input = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
  state.requests.push({ input, model: parsed.model, auth: req.headers.authorization });
  if (state.status) return void res.writeHead(state.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `scripted ${state.status}`, type: 'server_error' } }));
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text, dimension) }));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: parsed.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
}

/**
 * A local server that speaks the OpenAI Embeddings API (`POST /v1/embeddings`), for tests of the
 * real `openai` SDK. It answers word vectors of `dimension` numbers, or `status` while it is set
 * (a down endpoint); `requests` lists what it was asked.
 * @example const api = await startEmbeddingsServer(8); api.status = 503; … await api.close();
 */
export async function startEmbeddingsServer(dimension: number) {
  const state = { status: 0, requests: [] as EmbeddingsRequest[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return void res.writeHead(404).end();
      embeddings(state, dimension, body, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Tokens a scripted answer reports (default: the texts' lengths / 4). */
export type ScriptedUsage = { prompt_tokens: number; completion_tokens: number };

/**
 * How the LLM server answers one chat call: a JSON value (sent as the message content, stringified),
 * raw content (e.g. malformed JSON), an OpenAI-style error, or any of those after a delay.
 */
export type Scripted =
  | { json: unknown; usage?: ScriptedUsage }
  | { text: string; usage?: ScriptedUsage }
  | { status: number; message?: string }
  | { delayMs: number; then: Scripted };

/** One `POST /v1/chat/completions` as the LLM server received it. */
export type ChatCompletionsRequest = {
  model: string;
  messages: { role: string; content: string }[];
  /** The `response_format` sent (undefined: none). */
  responseFormat: unknown;
  /** `max_tokens`, or `max_completion_tokens` when that was sent instead (see `tokenField`). */
  maxTokens?: number;
  tokenField?: 'max_tokens' | 'max_completion_tokens';
  temperature?: number;
  /** The Authorization header. */
  auth?: string;
};

/** Decides the answer to each chat call; replace it at any time with `server.answer = …`. */
export type LlmScript = (request: ChatCompletionsRequest) => Scripted | Promise<Scripted>;

export type LlmServerOptions = {
  /** Listed by `GET /v1/models`; when given, a chat call for another model answers 404. Default: none listed, every model answered. */
  models?: string[];
  /** Length of the `/v1/embeddings` vectors (default 8). */
  dimension?: number;
  /** Answer 400 to any call that sends a json_schema response format (a server without structured outputs). */
  rejectJsonSchema?: boolean;
  /** Answer 400 to any call that sends `max_tokens` (like OpenAI's reasoning models, which take only `max_completion_tokens`). */
  rejectMaxTokens?: boolean;
};

const sendJson = (res: ServerResponse, status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const sendError = (res: ServerResponse, status: number, message: string, code: string | null = null) =>
  sendJson(res, status, { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code } });
const roughTokens = (text: string) => Math.ceil(text.length / 4);

/**
 * A local server that speaks the parts of the OpenAI API playwright-medic uses, for tests of the
 * real `openai` SDK: `POST /v1/chat/completions` (answers scripted by `answer`), `POST
 * /v1/embeddings` (word vectors, as startEmbeddingsServer; `embeddings.status` makes it fail) and
 * `GET /v1/models`. `requests` lists the chat calls; `close()` drops open connections, so an answer
 * still being delayed does not hold it up.
 * @example
 * const api = await startLlmServer(() => ({ json: { choice: 2 } }), { rejectJsonSchema: true });
 * api.answer = () => ({ delayMs: 1000, then: { status: 500 } });
 * … await api.close();
 */
export async function startLlmServer(answer: LlmScript = () => ({ json: {} }), options: LlmServerOptions = {}) {
  const state = {
    answer,
    models: options.models,
    rejectJsonSchema: options.rejectJsonSchema ?? false,
    rejectMaxTokens: options.rejectMaxTokens ?? false,
    requests: [] as ChatCompletionsRequest[],
    embeddings: { status: 0, requests: [] as EmbeddingsRequest[] },
  };
  const sockets = new Set<Socket>();
  const waits = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  let closed = false;
  let served = 0;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (waits.delete(entry), resolve()), ms), resolve };
      waits.add(entry);
    });

  const reply = async (res: ServerResponse, request: ChatCompletionsRequest, scripted: Scripted): Promise<void> => {
    if ('delayMs' in scripted) {
      await wait(scripted.delayMs);
      return closed || res.destroyed ? undefined : reply(res, request, scripted.then);
    }
    if ('status' in scripted) return sendError(res, scripted.status, scripted.message ?? `scripted ${scripted.status}`);
    const content = 'json' in scripted ? JSON.stringify(scripted.json) : scripted.text;
    const usage = scripted.usage ?? { prompt_tokens: roughTokens(request.messages.map((m) => m.content).join('')), completion_tokens: roughTokens(content) };
    sendJson(res, 200, {
      id: `chatcmpl-medic-${++served}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  };

  const chat = async (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => {
    const tokenField = body.max_tokens !== undefined ? 'max_tokens' : body.max_completion_tokens !== undefined ? 'max_completion_tokens' : undefined;
    const request: ChatCompletionsRequest = {
      model: String(body.model),
      messages: (Array.isArray(body.messages) ? (body.messages as { role: string; content: unknown }[]) : []).map((m) => ({
        role: m.role,
        content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
      })),
      responseFormat: body.response_format,
      ...(tokenField ? { maxTokens: body[tokenField] as number, tokenField } : {}),
      ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
    };
    state.requests.push(request);
    if (state.models && !state.models.includes(request.model)) return sendError(res, 404, `The model '${request.model}' does not exist`, 'model_not_found');
    if (state.rejectJsonSchema && (body.response_format as { type?: string } | undefined)?.type === 'json_schema') {
      return sendError(res, 400, 'response_format json_schema is not supported');
    }
    if (state.rejectMaxTokens && tokenField === 'max_tokens') {
      return sendError(res, 400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'unsupported_parameter');
    }
    let scripted: Scripted;
    try {
      scripted = await state.answer(request);
    } catch (error) {
      return sendError(res, 500, `the test's answer threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    await reply(res, request, scripted);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const route = `${req.method} ${req.url?.split('?')[0]}`;
      if (route === 'GET /v1/models') {
        return sendJson(res, 200, { object: 'list', data: (state.models ?? []).map((id) => ({ id, object: 'model', created: 0, owned_by: 'medic-test' })) });
      }
      if (route === 'POST /v1/embeddings') return embeddings(state.embeddings, options.dimension ?? 8, body, req, res);
      if (route !== 'POST /v1/chat/completions') return sendError(res, 404, `no route ${route}`);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return sendError(res, 400, 'the body is not JSON');
      }
      void chat(parsed, req, res);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => {
      closed = true;
      for (const entry of waits) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      waits.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return done;
    },
  });
}

/** A running startLlmServer. */
export type LlmServer = Awaited<ReturnType<typeof startLlmServer>>;

/**
 * The candidates a repair request shows (`<n>: <json>` lines of its user message, see
 * src/llm/repairPrompt.ts), for scripts that answer like a model would.
 * @example const shown = shownCandidates(request); return { json: { index: shown.findIndex((c) => c.text === 'Buy now'), reason: 'same action' } };
 */
export function shownCandidates(request: ChatCompletionsRequest): Record<string, unknown>[] {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  return [...user.matchAll(/^(\d+): (\{.*\})$/gm)].map((m) => JSON.parse(m[2]!) as Record<string, unknown>);
}
