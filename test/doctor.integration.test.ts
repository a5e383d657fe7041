// `medic doctor` as a user runs it (the built CLI in a process of its own) against real
// components: SQLite files, a redis-server of our own that the test stops and starts, the
// project's Chroma server, and a local HTTP server speaking the OpenAI API (models, embeddings).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorReportSchema, type DoctorReport } from '../src/doctor/report.js';
import { defineMedicConfig } from '../src/config/index.js';
import { makeRun } from '../src/store/contract.testkit.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { openStore } from '../src/store/open.js';
import { inspectSqlite, openSqliteStore } from '../src/store/sqliteOpen.js';
import { chromaIndex } from '../src/vector/chromaIndex.js';
import { pendingVectors, vectorSpoolTarget } from '../src/vector/pendingVectors.js';
import { Spool } from '../src/resilience/spool.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { findChroma, type ChromaServer } from './helpers/chromaServer.js';
import { freePort } from './helpers/freePort.js';
import { repoRoot } from './helpers/inlineProject.js';
import { hasRedisServer, startRedis, type RedisServer } from './helpers/redisServer.js';

const root = mkdtempSync(join(tmpdir(), 'medic-doctor-'));
let folders = 0;
const folder = () => {
  const dir = join(root, String(folders++));
  mkdirSync(dir, { recursive: true });
  return dir;
};
const CLEAN_ENV = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('MEDIC_')).map((k) => [k, '']));

type Result = { code: number; stdout: string; stderr: string };
/** Asynchronous, so the fake OpenAI server of this process can answer while the CLI runs. */
const medic = (cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<Result> =>
  new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'doctor', ...args], { cwd, env: { ...process.env, ...CLEAN_ENV, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
const doctorJson = async (cwd: string, env: NodeJS.ProcessEnv = {}, ...args: string[]): Promise<{ code: number; report: DoctorReport }> => {
  const result = await medic(cwd, env, '--json', ...args);
  return { code: result.code, report: doctorReportSchema.parse(JSON.parse(result.stdout)) };
};
const checkOf = (report: DoctorReport, name: string) => report.checks.find((c) => c.name === name)!;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('medic doctor on the embedded store', () => {
  it('finds a healthy SQLite store healthy, and exits 0', async () => {
    const dir = folder();
    const store = openSqliteStore({ path: join(dir, '.medic', 'medic.db') });
    await store.startRun(makeRun());
    await store.close();
    const text = await medic(dir, {});
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/✓ store\s+sqlite .*: schema (\d+) of \1, integrity ok, 1 runs/);
    expect(text.stdout).toMatch(/- llm\s+not configured/);
    expect(text.stdout).toContain('healthy (0 problems');
    const { report } = await doctorJson(dir);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['config', 'store', 'vectors', 'embedder', 'llm', 'breakers', 'spool', 'disk']);
    expect(checkOf(report, 'disk').detail).toMatch(/free of/);
  });

  it('reports a pending migration with its fix and exit 1; --fix migrates after a backup', async () => {
    const dir = folder();
    const path = join(dir, '.medic', 'medic.db');
    const old = openSqliteStore({ path, migrations: MIGRATIONS.slice(0, 2) });
    await old.startRun(makeRun());
    await old.close();
    const before = await medic(dir, {});
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/✗ store\s+sqlite .*: schema 2 of \d+, .*a migration is pending/);
    expect(before.stdout).toContain('fix: npx medic doctor --fix');
    expect(inspectSqlite(path).version).toBe(2); // looking changed nothing

    const fixed = await doctorJson(dir, {}, '--fix');
    expect(fixed.code).toBe(0);
    expect(checkOf(fixed.report, 'store').fixed).toMatch(/migrated schema 2 → \d+/);
    expect(inspectSqlite(path).version).toBe(MIGRATIONS.length);
    expect(existsSync(`${path}.v2.bak`)).toBe(true);
    const store = openSqliteStore({ path, readonly: true });
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['run-1']);
    await store.close();
  });

  it("refuses a SQLite file that is not playwright-medic's, and a bad variable, each with a fix", async () => {
    const dir = folder();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(dir, 'app.db'));
    db.exec('CREATE TABLE users (id INTEGER)');
    db.close();
    const notOurs = await doctorJson(dir, { MEDIC_STORE_PATH: join(dir, 'app.db') });
    expect(notOurs.code).toBe(1);
    expect(checkOf(notOurs.report, 'store')).toMatchObject({ status: 'problem', detail: expect.stringContaining("not playwright-medic's") });

    const bad = await doctorJson(dir, { MEDIC_STORE_BUSY_TIMEOUT_MS: 'soon' });
    expect(bad.code).toBe(1);
    expect(bad.report.checks).toEqual([expect.objectContaining({ name: 'config', status: 'problem', fix: expect.stringContaining('MEDIC_STORE_BUSY_TIMEOUT_MS') })]);
  });
});

describe.skipIf(!hasRedisServer() && !process.env.CI)('medic doctor on Redis, with the spool', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());

  it('says Redis is down and writes wait; once it is back, --fix replays the spool', async () => {
    const dir = folder();
    const env = { MEDIC_REDIS_URL: redis.url, MEDIC_REDIS_PREFIX: 'doctor:' };
    const up = await doctorJson(dir, env);
    expect(up.code).toBe(0);
    expect(checkOf(up.report, 'store').detail).toMatch(/Redis \d+\.\d+.*layout none yet of 1, 0 runs/);

    const child = redis.process!;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const config = defineMedicConfig({}, { ...process.env, ...CLEAN_ENV, ...env });
    const spooled = openStore(config, dir, { spool: true, warn: () => undefined });
    await spooled.startRun(makeRun({ id: 'run-down' }));
    await spooled.close();

    const down = await doctorJson(dir, env);
    expect(down.code).toBe(1);
    expect(checkOf(down.report, 'store')).toMatchObject({ status: 'problem', fix: expect.stringContaining('redis-cli') });
    expect(checkOf(down.report, 'breakers')).toMatchObject({ status: 'warn', detail: expect.stringContaining('redis would open') });
    expect(checkOf(down.report, 'spool')).toMatchObject({ status: 'problem', detail: expect.stringContaining('1 writes wait'), fix: expect.stringContaining('Bring the store back') });
    // Nothing is replayed into a server that is not there, even with --fix.
    expect((await doctorJson(dir, env, '--fix')).code).toBe(1);

    await redis.restart!();
    const back = await doctorJson(dir, env);
    expect(back.code).toBe(1);
    expect(checkOf(back.report, 'spool')).toMatchObject({ status: 'problem', fix: expect.stringContaining('npx medic sync') });
    const fixed = await doctorJson(dir, env, '--fix');
    expect(fixed.code).toBe(0);
    expect(checkOf(fixed.report, 'spool').fixed).toBe('replayed: 1 written, 0 still waiting');
    const after = await doctorJson(dir, env);
    expect(checkOf(after.report, 'store').detail).toMatch(/layout 1 of 1, 1 runs/);
    expect(checkOf(after.report, 'spool').status).toBe('ok');
  });
});

const chroma: ChromaServer | undefined = await findChroma();

describe.skipIf(!chroma)('medic doctor on Chroma', () => {
  afterAll(async () => chroma?.stop());

  it("checks each collection's dimension against the embedder, and says when the server is down", async () => {
    const dir = folder();
    const embedder = hashingEmbedder();
    const env = { MEDIC_VECTORS_KIND: 'chroma', MEDIC_CHROMA_URL: chroma!.url, MEDIC_CHROMA_PREFIX: 'doctor-ok-' };
    const good = chromaIndex({ url: chroma!.url, collection: 'failures', embedder, prefix: 'doctor-ok-' });
    await good.upsert([{ id: 'a', vector: (await embedder.embed(['Timeout 5000ms exceeded']))[0]! }]);
    const ok = await doctorJson(dir, env);
    expect(ok.code).toBe(0);
    expect(checkOf(ok.report, 'vectors').detail).toMatch(new RegExp(`failures: 1 vectors of ${embedder.dimension}, successes: none yet`));

    // A collection made for this embedder's name with other vectors (the embedder's settings changed).
    const wrong = chromaIndex({ url: chroma!.url, collection: 'failures', embedder: { id: embedder.id, dimension: 8 }, prefix: 'doctor-bad-' });
    await wrong.upsert([{ id: 'a', vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
    const bad = await doctorJson(dir, { ...env, MEDIC_CHROMA_PREFIX: 'doctor-bad-' });
    expect(bad.code).toBe(1);
    expect(checkOf(bad.report, 'vectors')).toMatchObject({ status: 'problem', detail: expect.stringContaining(`vectors of 8 dimensions, the embedder makes ${embedder.dimension}`) });

    const down = await doctorJson(dir, { ...env, MEDIC_CHROMA_URL: `http://127.0.0.1:${await freePort()}` });
    expect(down.code).toBe(1);
    expect(checkOf(down.report, 'vectors')).toMatchObject({ status: 'problem', detail: expect.stringContaining('fall back to the local index'), fix: expect.stringContaining('npm run chroma') });
    expect(checkOf(down.report, 'breakers').detail).toContain('chroma would open');
  });

  it('names the vector writes that wait; --fix sends them once Chroma answers', async () => {
    const dir = folder();
    const embedder = hashingEmbedder();
    const prefix = 'doctor-spool-';
    const spool = Spool.open(join(dir, '.medic', 'spool.db'));
    const downUrl = `http://127.0.0.1:${await freePort()}`;
    for (const url of [downUrl, chroma!.url]) {
      const scope = { url, prefix, collection: 'failures', embedder: { id: embedder.id, dimension: embedder.dimension } };
      pendingVectors(spool, vectorSpoolTarget(chromaIndex(scope).location), scope).keepUpsert([{ id: 'a', vector: (await embedder.embed(['Timeout 5000ms exceeded']))[0]! }]);
    }
    spool.close();
    const env = { MEDIC_VECTORS_KIND: 'chroma', MEDIC_CHROMA_URL: chroma!.url, MEDIC_CHROMA_PREFIX: prefix };
    const waiting = await doctorJson(dir, env);
    expect(waiting.code).toBe(1);
    expect(checkOf(waiting.report, 'spool')).toMatchObject({ status: 'problem', detail: expect.stringContaining('2 vector writes wait for Chroma'), fix: expect.stringContaining('npx medic sync') });

    const fixed = await doctorJson(dir, env, '--fix');
    expect(checkOf(fixed.report, 'spool')).toMatchObject({ status: 'warn', fixed: 'sent: 1 vector writes, 0 still waiting, 1 kept for another server or prefix' });
    expect(await chromaIndex({ url: chroma!.url, collection: 'failures', embedder, prefix }).count()).toBe(1);
  });
});

describe('medic doctor on OpenAI-compatible endpoints (the LLM and the embedder)', () => {
  let server: Server;
  let base: string;
  let answer: 'ok' | 'unauthorized' = 'ok';
  /** What the chat endpoint answers (the message content). */
  let chat = '{"index": 0, "reason": "ok"}';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (answer === 'unauthorized') return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      if (req.method === 'GET' && req.url === '/v1/models') return send(200, { object: 'list', data: ['small', 'embed-4'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })) });
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        req.resume();
        req.on('end', () =>
          send(200, { id: 'c', object: 'chat.completion', created: 0, model: 'small', choices: [{ index: 0, message: { role: 'assistant', content: chat }, finish_reason: 'stop' }], usage: { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 } }),
        );
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const input = (JSON.parse(body) as { input: string[] }).input;
          send(200, { object: 'list', model: 'embed-4', data: input.map((_, index) => ({ object: 'embedding', index, embedding: [0.5, 0.5, 0.5, 0.5] })), usage: { prompt_tokens: 1, total_tokens: 1 } });
        });
        return;
      }
      send(404, { error: { message: `no ${req.url}` } });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('checks that the endpoint serves the configured models, and that the embedder answers with its dimension', async () => {
    const dir = folder();
    answer = 'ok';
    const llm = { MEDIC_LLM_BASE_URL: base, MEDIC_LLM_MODELS: 'small' };
    const ok = await doctorJson(dir, llm);
    expect(ok.code).toBe(0);
    expect(checkOf(ok.report, 'llm')).toMatchObject({ status: 'ok', detail: expect.stringMatching(new RegExp(`^${base}: serves small; each answers a repair's JSON \\(small \\d+ ms\\)$`)) });
    chat = 'Sure! The answer is candidate 0.';
    const chatty = await doctorJson(dir, llm);
    expect(checkOf(chatty.report, 'llm')).toMatchObject({ status: 'warn', detail: expect.stringContaining('answers, but not with usable JSON (not JSON'), fix: expect.stringContaining('llm.structured') });
    chat = '{"index": 0, "reason": "ok"}';

    const missing = await doctorJson(dir, { ...llm, MEDIC_LLM_MODELS: 'small,large' });
    expect(missing.code).toBe(1);
    expect(checkOf(missing.report, 'llm')).toMatchObject({ status: 'problem', detail: expect.stringContaining('does not serve large'), fix: expect.stringContaining('MEDIC_LLM_MODELS') });

    const embedderEnv = { MEDIC_EMBEDDER_KIND: 'openai', MEDIC_EMBEDDER_BASE_URL: base, MEDIC_EMBEDDER_MODEL: 'embed-4' };
    const embeds = await doctorJson(dir, { ...embedderEnv, MEDIC_EMBEDDER_DIMENSION: '4' });
    expect(checkOf(embeds.report, 'embedder')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/answered 4 dimensions/) });
    const wrongDimension = await doctorJson(dir, { ...embedderEnv, MEDIC_EMBEDDER_DIMENSION: '1536' });
    expect(wrongDimension.code).toBe(1);
    expect(checkOf(wrongDimension.report, 'embedder')).toMatchObject({ status: 'problem', detail: expect.stringContaining('1536') });

    answer = 'unauthorized';
    const refused = await doctorJson(dir, llm);
    expect(checkOf(refused.report, 'llm')).toMatchObject({ status: 'problem', fix: 'Check the key in OPENAI_API_KEY.' });
  });
});

// A spool left by a store that is no longer configured is named, not replayed somewhere else.
describe('medic doctor with a spool of another store', () => {
  it('warns and says which store the writes wait for', async () => {
    const dir = folder();
    const config = defineMedicConfig({}, { ...CLEAN_ENV, MEDIC_REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const spooled = openStore(config, dir, { spool: true, warn: () => undefined });
    await spooled.startRun(makeRun());
    await spooled.close();
    const { code, report } = await doctorJson(dir);
    expect(code).toBe(0);
    expect(checkOf(report, 'spool')).toMatchObject({ status: 'warn', detail: expect.stringContaining('1 writes wait for redis://127.0.0.1:') });
  });
});
