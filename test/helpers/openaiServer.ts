import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type EmbeddingsRequest = { input: string[]; model: string; dimensions?: number; auth: string | undefined };

/** A vector that says which words a text has (word hashes into `dimension` slots), so similar texts are near. */
export const vectorOf = (text: string, dimension: number): number[] => {
  const v = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) v[[...word].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % dimension, 7)]! += 2;
  return v;
};

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
      const parsed = JSON.parse(body) as { input: string | string[]; model: string };
      const input = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
      state.requests.push({ input, model: parsed.model, auth: req.headers.authorization });
      if (state.status) return void res.writeHead(state.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `scripted ${state.status}`, type: 'server_error' } }));
      const data = input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text, dimension) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: parsed.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
