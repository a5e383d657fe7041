import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { dropKeys, findRedis } from '../../test/helpers/redisServer.js';
import { freePort } from '../../test/helpers/freePort.js';
import { isMedicStoreError } from '../errors.js';
import { makeObservation } from './contract.learning.testkit.js';
import { makeAttempt, makeRun, storeContract } from './contract.testkit.js';
import { openRedisStore } from './redis.js';
import { mergeOccurrence } from '../learning/failurePatterns.js';
import { learnFailures } from '../learning/patternLearner.js';
import { hashingEmbedder } from '../vector/embedder.js';
import { localIndex } from '../vector/localIndex.js';
import { mostHoldersAtOnce } from './lock.testkit.js';
import { makePrediction } from './contract.risk.testkit.js';
import { PREDICTION_RUNS_KEPT } from '../risk/predictions.js';

const server = await findRedis();
const prefixes: string[] = [];
/** A store in a namespace of its own (a fresh store for each test, on one server). */
const fresh = (prefix = `medic-test:${randomUUID()}:`) => {
  prefixes.push(prefix);
  return openRedisStore({ url: server!.url, keyPrefix: prefix });
};
afterAll(async () => {
  if (!server) return;
  for (const prefix of prefixes) await dropKeys(server.url, prefix);
  await server.stop();
});

describe.skipIf(!server)('redis store', () => {
  if (server) storeContract('redis', async () => fresh());

  it('loses no update when many writers merge the same records at once', async () => {
    const prefix = `medic-test:${randomUUID()}:`;
    const writers = Array.from({ length: 4 }, () => fresh(prefix));
    const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, 0, i)).toISOString();
    // 4 writers × 15 batches of the same selector: every observation counts.
    await Promise.all(
      writers.map((store, w) =>
        (async () => {
          for (let i = 0; i < 15; i++) await store.recordSelectors('shop', [makeObservation({ at: at(w * 100 + i) })]);
        })(),
      ),
    );
    const [record] = await writers[0]!.listSelectors({ project: 'shop' });
    expect(record!.timesUsed).toBe(60);
    // Attempts of one run from every writer, and a run started twice at once: one wins.
    await writers[0]!.startRun(makeRun());
    await Promise.all(writers.map((store, w) => Promise.all(Array.from({ length: 10 }, (_, i) => store.recordAttempt(makeAttempt({ testId: `t${w}-${i}` }))))));
    expect(await writers[1]!.listAttempts({ runId: 'run-1' })).toHaveLength(40);
    const starts = await Promise.allSettled(writers.map((store) => store.startRun(makeRun({ id: 'same' }))));
    expect(starts.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    await Promise.all(writers.map((store) => store.close()));
  });

  it('keeps the newest runs of a project when many writers record predictions at once, leaving no key of a dropped run', async () => {
    const prefix = `medic-test:${randomUUID()}:`;
    const writers = Array.from({ length: 4 }, () => fresh(prefix));
    const runsEach = 30;
    // Writer w records its run i (3 tests) at minute 4i + w: the oldest runs are every writer's first ones.
    const runOf = (w: number, i: number) => ({ runId: `w${w}-${String(i).padStart(2, '0')}`, at: new Date(Date.UTC(2026, 11, 1, 10, 4 * i + w)).toISOString() });
    await Promise.all(
      writers.map(async (store, w) => {
        for (let i = 0; i < runsEach; i++) await store.recordPredictions(['a', 'b', 'c'].map((testKey) => makePrediction({ ...runOf(w, i), testKey })));
      }),
    );
    const all = Array.from({ length: runsEach }, (_, i) => writers.map((_, w) => runOf(w, i))).flat();
    const newest = all.sort((a, b) => b.at.localeCompare(a.at)).slice(0, PREDICTION_RUNS_KEPT).map((r) => r.runId);
    const kept = await writers[0]!.listPredictions({ project: 'shop' });
    expect(kept).toHaveLength(3 * PREDICTION_RUNS_KEPT);
    expect(new Set(kept.map((p) => p.runId))).toEqual(new Set(newest));
    await Promise.all(writers.map((store) => store.close()));
    const client = new Redis(server!.url);
    const keys = (await client.keys(`${prefix}*`)).map((k) => k.slice(prefix.length));
    const times = await client.hgetall(`${prefix}shop:risk_predictions:runs`);
    client.disconnect();
    expect(Object.keys(times).sort()).toEqual([...newest].sort());
    expect(keys.filter((k) => k.startsWith('shop:risk_predictions:r:'))).toHaveLength(3 * PREDICTION_RUNS_KEPT);
    expect(keys.filter((k) => k.startsWith('shop:risk_predictions:by:run:'))).toHaveLength(PREDICTION_RUNS_KEPT);
  });

  it('holds a lock across clients: one holder at a time, released for the next', async () => {
    const prefix = `medic-test:${randomUUID()}:`;
    const [a, b] = [fresh(prefix), fresh(prefix)];
    expect(await mostHoldersAtOnce(a, b)).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps every occurrence when two shards learn from their runs at the same moment (the learn lock)', async () => {
    const prefix = `medic-test:${randomUUID()}:`;
    const shards = [fresh(prefix), fresh(prefix)] as const;
    const error = { message: 'Error: expected 42', stack: 'at checks.ts:2', category: 'assertion', signature: 'sig-total', count: 1 };
    for (const [i, store] of shards.entries()) {
      await store.startRun(makeRun({ id: `run-${i}`, project: 'shop' }));
      for (let t = 0; t < 3; t++) await store.recordAttempt(makeAttempt({ runId: `run-${i}`, testId: `${i}-${t}`, testKey: `t${i}-${t}`, status: 'failed', outcome: 'unexpected', error }));
    }
    const embedder = hashingEmbedder();
    const learn = (store: (typeof shards)[number], runId: string) =>
      store.exclusive('learn:shop', () => learnFailures({ store, embedder, index: localIndex(store, 'failures', embedder) }, runId));
    await Promise.all([learn(shards[0], 'run-0'), learn(shards[1], 'run-1')]);
    const patterns = await shards[0].listFailurePatterns({ project: 'shop' });
    expect(patterns.map((p) => p.count)).toEqual([6]);
    await Promise.all(shards.map((s) => s.close()));
  });

  it('keeps each project under keys of its own, and vectors under their collection', async () => {
    const prefix = `medic-test:${randomUUID()}:`;
    const store = fresh(prefix);
    await store.startRun(makeRun({ project: 'shop a' }));
    await store.recordAttempt(makeAttempt());
    await store.recordSelectors('admin', [makeObservation()]);
    const occurrence = { project: 'shop a', runId: 'run-1', testKey: 't', feature: 'f', category: 'timeout', signature: 's', message: 'm', at: '2026-12-01T10:00:00.000Z' };
    await store.putFailurePatterns([mergeOccurrence(undefined, occurrence, 'fp-1')]);
    await store.putVectors([{ collection: 'failures', id: 'fp-1', embedder: 'hashing:4', vector: [1, 0, 0, 0] }]);
    await store.close();
    const client = new Redis(server!.url);
    const keys = (await client.keys(`${prefix}*`)).map((k) => k.slice(prefix.length)).sort();
    client.disconnect();
    expect(keys).toContain('shop%20a:runs:r:run-1');
    expect(keys).toContain('shop%20a:failure_patterns:r:fp-1');
    expect(keys).toContain('failures:vectors:r:fp-1');
    expect(keys.some((k) => k.startsWith('admin:selectors:r:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('shop%20a:attempts:r:'))).toBe(true);
    // Nothing of one project sits under another's prefix.
    expect(keys.filter((k) => k.startsWith('admin:')).every((k) => k.startsWith('admin:selectors:'))).toBe(true);
  });

  it('refuses a record changed outside playwright-medic, saying where it is', async () => {
    const prefix = `medic-test:${randomUUID()}:`;
    const store = fresh(prefix);
    await store.startRun(makeRun());
    const client = new Redis(server!.url);
    await client.set(`${prefix}default:runs:r:run-1`, '7 {"id":');
    client.disconnect();
    const error = await store.getRun('run-1').catch((e: unknown) => e);
    expect(isMedicStoreError(error)).toBe(true);
    expect((error as Error).message).toMatch(/A row of runs in redis:\/\/127\.0\.0\.1:\d+ is not valid JSON[\s\S]*Fix: A key was changed outside/);
    await store.close();
  });
});

describe('redis store without a server', () => {
  it('fails with the address and the fix, without hanging', async () => {
    const port = await freePort(); // nothing listens there
    const store = openRedisStore({ url: `redis://user:secret@127.0.0.1:${port}`, connectTimeoutMs: 500 });
    const started = Date.now();
    const error = await store.listRuns().catch((e: unknown) => e);
    expect(isMedicStoreError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`Redis store at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port} failed[\\s\\S]*Fix: Check that Redis is running`));
    expect((error as Error).message).not.toMatch(/secret/);
    expect(Date.now() - started).toBeLessThan(15_000);
    await store.close();
  });

  it('refuses a URL that is not redis:// or rediss://', () => {
    expect(() => openRedisStore({ url: 'http://127.0.0.1:6379' })).toThrow(/redis:\/\/ or rediss:\/\/ URL/);
  });
});
