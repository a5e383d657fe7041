import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineMedicConfig } from '../config/define.js';
import { MemoryStore } from '../store/memory.js';
import { findSimilarSuccess } from '../learning/successLearner.js';
import { localIndex } from './localIndex.js';
import { openaiEmbedder, type OpenAIEmbedderOptions } from './openaiEmbedder.js';
import { openEmbedder } from './openEmbedder.js';

type Request = { input: string[]; model: string; dimensions?: number; auth: string | undefined };
type Script = (req: Request, res: ServerResponse) => void;

/** A local server that speaks the OpenAI Embeddings API; each test scripts its answers. */
let server: Server;
let baseURL: string;
let requests: Request[];
let script: Script;

/** A vector that says which words a text has (3 dimensions + padding), so similar texts are near. */
const vectorOf = (text: string, dimension: number) => {
  const v = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) v[[...word].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % dimension, 7)]! += 2;
  return v;
};
const answer = (req: Request, res: ServerResponse, dimension = 8, order: 'asc' | 'desc' = 'asc') => {
  const data = req.input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text, dimension) }));
  if (order === 'desc') data.reverse();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: req.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
};
const fail = (res: ServerResponse, status: number) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `scripted ${status}`, type: 'server_error' } }));

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return void res.writeHead(404).end();
      const parsed = JSON.parse(body) as { input: string | string[]; model: string; dimensions?: number };
      const r: Request = { input: Array.isArray(parsed.input) ? parsed.input : [parsed.input], model: parsed.model, ...(parsed.dimensions ? { dimensions: parsed.dimensions } : {}), auth: req.headers.authorization };
      requests.push(r);
      script(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
  script = (req, res) => answer(req, res);
});

const embedder = (options: Partial<OpenAIEmbedderOptions> = {}) => openaiEmbedder({ baseURL, model: 'm-embed', dimension: 8, initialDelayMs: 1, ...options });

describe('openai embedder (the real openai SDK against a local Embeddings server)', () => {
  it('sends texts in batches and returns one normalised vector per text, in order', async () => {
    const texts = ['save button', 'cancel link', 'save', 'checkout total', 'login form'];
    const vectors = await embedder({ batchSize: 2 }).embed(texts);
    expect(requests.map((r) => r.input)).toEqual([texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)]);
    expect(vectors).toHaveLength(5);
    for (const [i, v] of vectors.entries()) {
      expect(v).toHaveLength(8);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      const raw = vectorOf(texts[i]!, 8);
      expect(v[raw.indexOf(Math.max(...raw))]).toBeGreaterThan(0);
    }
  });

  it('puts an answer given out of order back in the order of the texts', async () => {
    script = (req, res) => answer(req, res, 8, 'desc');
    const texts = ['save', 'checkout total', 'login form'];
    const unit = (v: number[]) => v.map((x) => Math.fround(x / Math.hypot(...v)));
    expect(new Set(texts.map((t) => String(unit(vectorOf(t, 8))))).size).toBe(3); // the texts' vectors differ
    const vectors = await embedder().embed(texts);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => unit(vectorOf(t, 8))));
  });

  it('retries 429 and 500 with backoff, then succeeds', async () => {
    let n = 0;
    script = (req, res) => (n++ < 2 ? fail(res, n === 1 ? 429 : 500) : answer(req, res));
    const vectors = await embedder({ attempts: 4 }).embed(['retry me']);
    expect(vectors).toHaveLength(1);
    expect(requests).toHaveLength(3);
  });

  it('gives up after its attempts with an error that names the endpoint, and opens the breaker', async () => {
    script = (_req, res) => fail(res, 503);
    const e = embedder({ attempts: 2, breakAfter: 2, halfOpenAfterMs: 60_000 });
    await expect(e.embed(['down'])).rejects.toThrow(/embedder at http:\/\/127\.0\.0\.1:\d+\/v1 \(model m-embed\) failed: 503/);
    expect(requests).toHaveLength(2);
    await expect(e.embed(['still down'])).rejects.toThrow(/failed 2 times in a row; no calls for 60 s/);
    expect(requests).toHaveLength(2); // the open breaker made no call
  });

  it('shares its breaker through the store: another process does not call an endpoint found down', async () => {
    script = (_req, res) => fail(res, 503);
    const board = new MemoryStore();
    const first = openaiEmbedder({ baseURL, model: 'm-embed', dimension: 8, initialDelayMs: 1, attempts: 1, breakAfter: 1, halfOpenAfterMs: 60_000 }, { board });
    await expect(first.embed(['down'])).rejects.toThrow(/failed: 503/);
    expect(requests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20)); // the opening reaches the store
    expect(await board.listBreakers()).toEqual([expect.objectContaining({ name: 'embedder', target: `${baseURL} m-embed`, reason: expect.stringContaining('503') })]);
    // Another process (its own breaker closed), the same endpoint and model: no call.
    const second = openaiEmbedder({ baseURL, model: 'm-embed', dimension: 8, initialDelayMs: 1, attempts: 4 }, { board });
    await expect(second.embed(['still down'])).rejects.toThrow(/The embedder is not called: the embedder at http:\/\/127\.0\.0\.1:\d+\/v1 m-embed failed for .* \(.*503.*\); not called until/);
    expect(requests).toHaveLength(1);
    // Another model of the same endpoint is its own breaker.
    script = (req, res) => answer(req, res);
    expect(await openaiEmbedder({ baseURL, model: 'other', dimension: 8 }, { board }).embed(['up'])).toHaveLength(1);
  });

  it('does not retry a request the server refuses (400, 401)', async () => {
    script = (_req, res) => fail(res, 401);
    await expect(embedder({ attempts: 4 }).embed(['no key'])).rejects.toThrow(/failed: 401[\s\S]*Fix: check embedder.model, embedder.baseURL and the API key variable/);
    expect(requests).toHaveLength(1);
  });

  it('checks the dimension and the count of the answer', async () => {
    script = (req, res) => answer(req, res, 12);
    await expect(embedder().embed(['x'])).rejects.toThrow(/answers vectors of 12 dimensions; embedder.dimension is 8[\s\S]*set embedder.dimension to 12/);
    script = (req, res) => answer({ ...req, input: req.input.slice(1) }, res);
    await expect(embedder().embed(['a', 'b'])).rejects.toThrow(/answered 1 vectors for 2 texts/);
  });

  it('times out a server that does not answer', async () => {
    script = () => undefined;
    await expect(embedder({ timeoutMs: 200, attempts: 1 }).embed(['slow'])).rejects.toThrow(/timed out/i);
  });

  it('sends dimensions only when asked to, and refuses bad options', async () => {
    await embedder({ requestDimensions: true }).embed(['a']);
    await embedder().embed(['b']);
    expect(requests.map((r) => r.dimensions)).toEqual([8, undefined]);
    expect(() => openaiEmbedder({ model: '', dimension: 0 })).toThrow(/openai embedder's options are invalid/);
  });

  it('is chosen by the config, reads its key from the named variable, and serves the learners', async () => {
    const env = { MEDIC_EMBEDDER_KIND: 'openai', MEDIC_EMBEDDER_BASE_URL: baseURL, MEDIC_EMBEDDER_MODEL: 'm-embed', MEDIC_EMBEDDER_DIMENSION: '8', OPENAI_API_KEY: 'sk-test-1' };
    const config = defineMedicConfig({}, env);
    const e = openEmbedder(config, env);
    expect(e.id).toBe('openai:m-embed:8');
    const store = new MemoryStore();
    const index = localIndex(store, 'successes', e);
    const vectors = await e.embed(['checkout pay', 'login form']);
    await index.upsert([
      { id: 'a', vector: vectors[0]!, metadata: { project: 'p' } },
      { id: 'b', vector: vectors[1]!, metadata: { project: 'p' } },
    ]);
    const [hit] = await index.query((await e.embed(['login']))[0]!, { k: 1, where: { project: 'p' } });
    expect(hit?.id).toBe('b');
    expect(await findSimilarSuccess({ store, embedder: e, index }, 'p', 'login')).toEqual([]); // no stored pattern: nothing claimed
    expect(requests.every((r) => r.auth === 'Bearer sk-test-1')).toBe(true);
    expect(() => defineMedicConfig({ embedder: { kind: 'openai' } }, {})).toThrow(/needs the model and its dimension/);
  });
});
