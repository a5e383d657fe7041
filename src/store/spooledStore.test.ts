import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedisServer, startRedis, type RedisServer } from '../../test/helpers/redisServer.js';
import { isStoreUnavailable } from '../errors.js';
import { mergeSelector } from '../learning/catalog.js';
import { Spool } from '../resilience/spool.js';
import { makeObservation } from './contract.learning.testkit.js';
import { makeAttempt, makeRun } from './contract.testkit.js';
import { makePrediction } from './contract.risk.testkit.js';
import { makeModel } from './contract.models.testkit.js';
import { openRedisStore } from './redis.js';
import { SpooledStore } from './spooledStore.js';

if (!hasRedisServer() && process.env.CI) throw new Error('No redis-server on PATH: CI never skips the spool tests (apt-get install redis-server).');
const dir = mkdtempSync(join(tmpdir(), 'medic-spool-'));
const servers: RedisServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function setUp(retryAfterMs?: number) {
  const server = await startRedis({ persist: true });
  servers.push(server);
  const warnings: string[] = [];
  const learned: string[] = [];
  const spool = Spool.open(join(dir, `${randomUUID()}.db`));
  const store = new SpooledStore(openRedisStore({ url: server.url, connectTimeoutMs: 500 }), spool, {
    target: server.url,
    // Learning writes to the store, as the real one does (its first write must not replay the spool again).
    learn: async (self, runId) => {
      learned.push(runId);
      await self.putVectors([{ collection: 'failures', id: `learned-${runId}`, embedder: 'e', vector: [1] }]);
    },
    warn: (m) => warnings.push(m),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  const kill = async () => {
    const child = server.process!;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  return { server, store, spool, warnings, learned, kill };
}

describe.skipIf(!hasRedisServer())('a Redis store with a spool', () => {
  it('writes straight through while Redis answers', async () => {
    const { store, spool, warnings } = await setUp();
    await store.startRun(makeRun());
    await store.recordAttempt(makeAttempt());
    expect(spool.count()).toBe(0);
    expect(await store.listAttempts()).toHaveLength(1);
    expect(warnings).toEqual([]);
    await store.close();
  });

  it('spools every write from the first that fails, warns once, and replays them in order when Redis is back', async () => {
    const { server, store, spool, warnings, learned, kill } = await setUp();
    await store.startRun(makeRun());
    await store.recordAttempt(makeAttempt({ testId: 'before' }));
    await kill();
    await store.recordAttempt(makeAttempt({ testId: 'during-1' }));
    await store.recordSelectors('shop', [makeObservation()]);
    await store.finishRun('run-1', { endedAt: '2026-11-24T10:05:00.000Z', status: 'failed' });
    store.deferLearning('run-1');
    expect(store.spooled).toBe(true);
    expect(spool.count()).toBe(4);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^medic: the store at redis:\/\/127\.0\.0\.1:\d+ is unreachable \(.*\); this run's records are spooled to .*\.db and written when it is back/);
    const read = await store.listAttempts().catch((e: unknown) => e);
    expect(isStoreUnavailable(read)).toBe(true);
    // Still down: the replay stops at the first write and keeps them all.
    expect(await store.replay()).toEqual({ applied: 0, left: 4, refused: [] });
    await server.restart!();
    expect(await store.replay()).toEqual({ applied: 4, left: 0, refused: [] });
    expect(store.spooled).toBe(false);
    expect(spool.count()).toBe(0);
    expect((await store.listAttempts()).map((a) => a.testId)).toEqual(['before', 'during-1']);
    expect((await store.getRun('run-1'))!.status).toBe('failed');
    expect((await store.listSelectors())[0]!.timesUsed).toBe(1);
    expect(learned).toEqual(['run-1']);
    await store.close();
  });

  it('opens its breaker when Redis goes away, and once it lets a write through again, replays the spool before it and writes straight on', async () => {
    const { server, store, spool, warnings, kill } = await setUp(200);
    await store.startRun(makeRun());
    expect(store.breakerState).toBe('closed');
    await kill();
    await store.recordAttempt(makeAttempt({ testId: 'during-1' }));
    expect(store.breakerState).toBe('open');
    const started = performance.now();
    await store.recordAttempt(makeAttempt({ testId: 'during-2' })); // the breaker is open: spooled without waiting for Redis
    expect(performance.now() - started).toBeLessThan(100);
    expect(spool.count()).toBe(2);
    await server.restart!();
    await new Promise((r) => setTimeout(r, 250));
    expect(store.breakerState).toBe('half-open');
    await store.recordAttempt(makeAttempt({ testId: 'after' }));
    expect(store.breakerState).toBe('closed');
    expect(store.spooled).toBe(false);
    expect(spool.count()).toBe(0);
    expect((await store.listAttempts()).map((a) => a.testId).sort()).toEqual(['after', 'during-1', 'during-2']);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^medic: redis:\/\/127\.0\.0\.1:\d+ is back: 2 spooled writes are written; this run writes to it again\.$/);
    await store.close();
  });

  it('counts a write once when it reached Redis before its reply was lost', async () => {
    const { store, spool, server } = await setUp();
    await store.primary.startRun(makeRun());
    await store.primary.recordSelectors('shop', [makeObservation()], { batchId: 'batch-1' });
    // The same writes, as a spool keeps them after a lost reply.
    spool.append(server.url, 'startRun', [makeRun()]);
    spool.append(server.url, 'recordSelectors', ['shop', [makeObservation()], { batchId: 'batch-1' }]);
    spool.append(server.url, 'recordAttempt', [makeAttempt({ runId: 'no-such-run' })]);
    const result = await store.replay();
    expect(result.applied).toBe(3);
    expect(result.refused).toEqual([expect.stringMatching(/^recordAttempt \(spooled .*\): No run with id "no-such-run"/)]);
    expect((await store.listSelectors())[0]!.timesUsed).toBe(1);
    expect(await store.listRuns()).toHaveLength(1);
    await store.close();
  });

  it('writes what an earlier process spooled before its own first write', async () => {
    const { store, spool, server } = await setUp();
    spool.append(server.url, 'startRun', [makeRun({ id: 'earlier' })]);
    await store.startRun(makeRun({ id: 'now', startedAt: '2026-11-24T11:00:00.000Z' }));
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['now', 'earlier']);
    expect(spool.count()).toBe(0);
    await store.close();
  });

  it('spools whole selector records (putSelectors) like the other writes, checked before they are kept', async () => {
    const { server, store, kill } = await setUp();
    const record = mergeSelector(undefined, 'shop', makeObservation());
    await kill();
    await store.putSelectors([record]);
    await expect(store.putSelectors([{ ...record, confidence: 2 }])).rejects.toThrow(/confidence/);
    expect(store.waiting).toBe(1);
    await server.restart!();
    expect(await store.replay()).toEqual({ applied: 1, left: 0, refused: [] });
    expect(await store.listSelectors()).toEqual([record]);
    await store.close();
  });

  it('spools risk predictions like the other writes, checked before they are kept; reads them from Redis', async () => {
    const { server, store, kill } = await setUp();
    await kill();
    await store.recordPredictions([makePrediction(), makePrediction({ testKey: 'b' })]);
    await expect(store.recordPredictions([makePrediction({ score: 2 })])).rejects.toThrow(/score/);
    expect(store.waiting).toBe(1);
    expect(isStoreUnavailable(await store.listPredictions().catch((e: unknown) => e))).toBe(true);
    await server.restart!();
    expect(await store.replay()).toEqual({ applied: 1, left: 0, refused: [] });
    expect(await store.listPredictions({ project: 'shop' })).toEqual([makePrediction({ testKey: 'b' }), makePrediction()]); // by test key
    await store.close();
  });

  it('spools a model like the other writes, checked before it is kept; replays them in order, the last one winning', async () => {
    const { server, store, kill } = await setUp();
    await kill();
    await store.putModel(makeModel());
    await store.putModel(makeModel({ at: '2026-11-25T10:00:00.000Z', data: { refit: true } }));
    await expect(store.putModel(makeModel({ name: '' }))).rejects.toThrow(/name/);
    expect(store.waiting).toBe(2);
    expect(isStoreUnavailable(await store.getModel('shop', 'risk').catch((e: unknown) => e))).toBe(true);
    await server.restart!();
    expect(await store.replay()).toEqual({ applied: 2, left: 0, refused: [] });
    expect(await store.getModel('shop', 'risk')).toEqual(makeModel({ at: '2026-11-25T10:00:00.000Z', data: { refit: true } }));
    expect(await store.listModels()).toHaveLength(1);
    await store.close();
  });

  it('refuses a bad record at once instead of spooling it', async () => {
    const { store, kill } = await setUp();
    await kill();
    await store.recordAttempt(makeAttempt()); // spooling from here
    await expect(store.recordAttempt({ ...makeAttempt(), retry: -1 })).rejects.toThrow(/retry/);
    expect(store.waiting).toBe(1);
    await store.close();
  });
});
