import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/helpers/freePort.js';
import { startLlmServer, type LlmServer } from '../../test/helpers/openaiServer.js';
import { isLlmCallError, LlmCallError, type ChatRequest } from './client.js';
import { openaiClient, type OpenAIClientOptions } from './openaiClient.js';

let api: LlmServer;
beforeAll(async () => (api = await startLlmServer()));
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  api.rejectJsonSchema = false;
  api.rejectMaxTokens = false;
  api.answer = () => ({ json: { choice: 1 } });
});

const schema = { type: 'object', properties: { choice: { type: 'integer' } }, required: ['choice'], additionalProperties: false };
const request = (model = 'm-small'): ChatRequest => ({
  model,
  messages: [
    { role: 'system', content: 'Answer in JSON.' },
    { role: 'user', content: 'Which candidate?' },
  ],
  schema: { name: 'choice', schema },
  maxTokens: 200,
});
const llm = (options: Partial<OpenAIClientOptions> = {}) => openaiClient({ baseURL: api.baseURL, apiKey: 'sk-test', timeoutMs: 2000, ...options });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('the call should have failed'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(LlmCallError);
      return error as LlmCallError;
    },
  );

describe('openai client (the real openai SDK against a local Chat Completions server)', () => {
  it('returns the answer text and usage, and sends the key, the json_schema format, max_tokens and temperature 0', async () => {
    api.answer = () => ({ json: { choice: 2 }, usage: { prompt_tokens: 40, completion_tokens: 5 } });
    const client = llm();
    const reply = await client.chat(request());
    expect(reply).toEqual({ text: '{"choice":2}', usage: { promptTokens: 40, completionTokens: 5 }, structured: true });
    expect(client.target).toBe(api.baseURL);
    const [sent] = api.requests;
    expect(sent).toMatchObject({
      model: 'm-small',
      auth: 'Bearer sk-test',
      maxTokens: 200,
      tokenField: 'max_tokens',
      temperature: 0,
      responseFormat: { type: 'json_schema', json_schema: { name: 'choice', schema, strict: true } },
    });
    expect(sent?.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('returns malformed text as it came, and empty content as "" (the caller parses strictly)', async () => {
    api.answer = () => ({ text: '{"choice": 2' });
    expect((await llm().chat(request())).text).toBe('{"choice": 2');
    api.answer = () => ({ text: '' });
    expect((await llm().chat(request())).text).toBe('');
  });

  it('asks a server that refuses json_schema once more without it, and not again for that model', async () => {
    api.rejectJsonSchema = true;
    const client = llm();
    const first = await client.chat(request());
    expect(first).toMatchObject({ text: '{"choice":1}', structured: false });
    expect(api.requests.map((r) => (r.responseFormat as { type?: string } | undefined)?.type)).toEqual(['json_schema', undefined]);
    await client.chat(request());
    expect(api.requests).toHaveLength(3);
    expect(api.requests[2]?.responseFormat).toBeUndefined();
  });

  it('sends json_object or no format when told, and fails (not falls back) when json_schema is forced and refused', async () => {
    await llm({ structured: 'json_object' }).chat(request());
    await llm({ structured: 'none' }).chat(request());
    expect(api.requests.map((r) => r.responseFormat)).toEqual([{ type: 'json_object' }, undefined]);
    api.rejectJsonSchema = true;
    const error = await failure(llm({ structured: 'json_schema' }).chat(request()));
    expect(error).toMatchObject({ failure: 'request', status: 400 });
    expect(error.fix).toContain("llm.structured to 'auto'");
  });

  it("learns that a model refuses max_tokens and temperature 0 (OpenAI's reasoning models), keeping the json_schema format", async () => {
    api.rejectMaxTokens = true;
    api.answer = (r) =>
      r.temperature === undefined
        ? { json: { choice: 1 } }
        : { status: 400, message: "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported." };
    const client = llm();
    expect((await client.chat(request('o-reason'))).structured).toBe(true);
    await client.chat(request('o-reason'));
    expect(api.requests.map((r) => [r.tokenField, r.temperature])).toEqual([
      ['max_tokens', 0],
      ['max_completion_tokens', 0],
      ['max_completion_tokens', undefined],
      ['max_completion_tokens', undefined],
    ]);
    expect(api.requests.every((r) => r.responseFormat !== undefined && r.maxTokens === 200)).toBe(true);
  });

  it.each([
    [429, 'rate_limit'],
    [500, 'server'],
    [503, 'server'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'request'],
    [400, 'request'],
  ] as const)('translates HTTP %i into failure %s, naming the endpoint, model and status', async (status, kind) => {
    api.answer = () => ({ status, message: 'scripted trouble' });
    const error = await failure(llm().chat(request()));
    expect(error).toMatchObject({ failure: kind, status, code: 'MEDIC_LLM' });
    expect(isLlmCallError(error)).toBe(true);
    expect(error.message).toContain(api.baseURL);
    expect(error.message).toContain('m-small');
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.fix).toBeTruthy();
    expect(error.cause).toBeDefined();
    expect(api.requests).toHaveLength(1);
  });

  it('names llm.apiKeyEnv when the key is refused', async () => {
    api.answer = (r) => (r.auth === 'Bearer right' ? { json: {} } : { status: 401, message: 'Incorrect API key provided' });
    const error = await failure(llm({ apiKey: '' }).chat(request()));
    expect(api.requests[0]?.auth).toBe('Bearer none');
    expect(error.fix).toMatch(/no key was set.*llm\.apiKeyEnv/);
  });

  it("fails with 'timeout' when the answer comes later than timeoutMs", async () => {
    api.answer = () => ({ delayMs: 1500, then: { json: { choice: 1 } } });
    const started = Date.now();
    const error = await failure(llm({ timeoutMs: 300 }).chat(request()));
    expect(error).toMatchObject({ failure: 'timeout', status: undefined });
    expect(error.message).toContain('300 ms');
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it('leaves no listener on a signal that outlives its calls, which still cancels a call under way', async () => {
    // The LLM layer passes one signal ("the worker is closing") to every call of a worker.
    const closing = new AbortController();
    const client = llm();
    for (let i = 0; i < 12; i++) await client.chat({ ...request(), signal: closing.signal });
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    api.answer = () => ({ delayMs: 3000, then: { json: { choice: 1 } } });
    const pending = failure(client.chat({ ...request(), signal: closing.signal }));
    await expect.poll(() => api.requests.length).toBe(13);
    const started = Date.now();
    closing.abort();
    expect(await pending).toBeInstanceOf(LlmCallError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
  });

  it("fails with 'network' when nothing listens at the base URL", async () => {
    const baseURL = `http://127.0.0.1:${await freePort()}/v1`;
    const client = openaiClient({ baseURL, apiKey: 'sk-test', timeoutMs: 2000 });
    const error = await failure(client.chat(request()));
    expect(error).toMatchObject({ failure: 'network' });
    expect(error.message).toContain(baseURL);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.fix).toContain('llm.baseURL');
  });

  it('targets the OpenAI API without a baseURL, and refuses invalid options up front', () => {
    expect(openaiClient({ apiKey: 'k', timeoutMs: 1000 }).target).toBe('https://api.openai.com/v1');
    expect(() => openaiClient({ baseURL: 'localhost:11434', apiKey: '', timeoutMs: 1000 })).toThrow(/baseURL/);
  });
});

describe('the LLM test server', () => {
  it('serves embeddings and lists its models, and close() does not wait for a delayed answer', async () => {
    const server = await startLlmServer(() => ({ delayMs: 10_000, then: { json: {} } }), { models: ['m-a'], dimension: 4 });
    const models = (await (await fetch(`${server.baseURL}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['m-a']);
    const embedded = await fetch(`${server.baseURL}/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'e', input: ['save button'] }) });
    expect(((await embedded.json()) as { data: { embedding: number[] }[] }).data[0]?.embedding).toHaveLength(4);
    const pending = openaiClient({ baseURL: server.baseURL, apiKey: '', timeoutMs: 5000 }).chat(request('m-a')).catch((error: unknown) => error);
    await expect.poll(() => server.requests.length).toBe(1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toMatchObject({ failure: 'network' });
  });
});
