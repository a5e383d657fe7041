import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMedicPackError, MedicStoreUnavailableError } from '../errors.js';
import { learnSuccesses } from '../learning/successLearner.js';
import { makeModel } from '../store/contract.models.testkit.js';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';
import { MemoryStore } from '../store/memory.js';
import { hashingEmbedder } from '../vector/embedder.js';
import { localIndex } from '../vector/localIndex.js';
import { exportPack } from './export.js';
import { readPackFile, writePackFile } from './file.js';
import { importPack } from './import.js';
import { sameRedis } from './migrate.js';
import { expectFull, fillStore, snapshot } from './pack.testkit.js';
import { renamedRunId, renamePack } from './rename.js';
import { PACK_FORMAT, PACK_VERSION, packCounts, parsePack, type Pack } from './schema.js';
import { vectorGroups } from './vectors.js';

const filled = async () => {
  const store = new MemoryStore();
  await fillStore(store);
  return store;
};
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isMedicPackError(error)).toBe(true);
  return error as Error & { fix: string };
};
const json = (pack: Pack) => JSON.parse(JSON.stringify(pack)) as Record<string, unknown> & Pack;

describe('exportPack', () => {
  it('holds every kind, oldest first, of every project or of one', async () => {
    const store = await filled();
    const pack = await exportPack(store, { now: new Date('2026-12-01T00:00:00.000Z') });
    expect(parsePack(json(pack))).toEqual(pack);
    expect(pack).toMatchObject({ format: PACK_FORMAT, version: PACK_VERSION, exportedAt: '2026-12-01T00:00:00.000Z', source: { kind: 'memory', location: 'memory' }, projects: ['admin', 'shop'] });
    expect(pack.runs.map((r) => r.id)).toEqual(['shop-1', 'shop-2', 'admin-a', 'admin-b']);
    expect(new Set(pack.vectors.map((v) => v.collection))).toEqual(new Set(['failures', 'successes']));
    for (const [kind, n] of Object.entries(packCounts(pack))) expect(n, kind).toBeGreaterThan(0);

    const shop = await exportPack(store, { project: 'shop' });
    expect(shop.projects).toEqual(['shop']);
    expect(shop.runs.map((r) => r.id)).toEqual(['shop-1', 'shop-2']);
    expect(new Set(shop.attempts.map((a) => a.runId))).toEqual(new Set(['shop-1', 'shop-2']));
    expect(shop.vectors.length).toBeGreaterThan(0);
    expect(shop.vectors.every((v) => v.metadata.project === 'shop')).toBe(true);
    for (const kind of ['heals', 'selectors', 'failurePatterns', 'successPatterns', 'strategyExecutions', 'predictions', 'models'] as const) expect(shop[kind].every((r) => r.project === 'shop'), kind).toBe(true);
    expect(shop.models.map((m) => m.name)).toEqual(['healing', 'risk']);
    expect(pack.models.map((m) => `${m.project} ${m.name}`)).toEqual(['admin risk', 'shop healing', 'shop risk']);
    // Oldest first: the newest run's last, as the store lists them newest first.
    expect(shop.predictions.map((p) => `${p.runId} ${p.testKey}`)).toEqual(['shop-1 chromium › b.spec.ts › ok', 'shop-1 chromium › a.spec.ts › suite › works', 'shop-2 chromium › a.spec.ts › suite › works']);
  });
});

describe('importPack', () => {
  it('fills an empty store with what the source lists, in the same order; importing again changes nothing', async () => {
    const source = await filled();
    const expected = await snapshot(source);
    expectFull(expected);
    const pack = json(await exportPack(source));
    const target = new MemoryStore();
    const first = await importPack(target, pack);
    expect(await snapshot(target)).toEqual(expected);
    expect(first).toEqual({ written: packCounts(pack), runsUnchanged: 0, modelsUnchanged: 0 });
    const second = await importPack(target, pack);
    expect(await snapshot(target)).toEqual(expected);
    expect(second).toEqual({ written: { ...packCounts(pack), runs: 0 }, runsUnchanged: 4, modelsUnchanged: 0 });
    // Into the store it came from: the same.
    await importPack(source, pack);
    expect(await snapshot(source)).toEqual(expected);
  });

  it('imports a pack of version 1, which held no predictions nor models', async () => {
    const source = await filled();
    const { predictions, models, ...v1 } = { ...json(await exportPack(source)), version: 1 };
    expect(predictions).not.toHaveLength(0);
    expect(models).not.toHaveLength(0);
    const target = new MemoryStore();
    expect((await importPack(target, v1)).written).toMatchObject({ predictions: 0, models: 0 });
    expect(await snapshot(target)).toEqual({ ...(await snapshot(source)), predictions: [], models: [] });
    expect(parsePack(v1)).toMatchObject({ version: PACK_VERSION, predictions: [], models: [] });
  });

  it('imports a pack of version 2 written before models came, which holds none', async () => {
    const source = await filled();
    const { models, ...early } = json(await exportPack(source));
    expect(models).not.toHaveLength(0);
    const target = new MemoryStore();
    expect((await importPack(target, early)).written).toMatchObject({ models: 0 });
    expect(await snapshot(target)).toEqual({ ...(await snapshot(source)), models: [] });
    expect(parsePack(early).models).toEqual([]);
  });

  it("replaces the store's model of each (project, name) the pack holds, and leaves its others", async () => {
    const pack = json(await exportPack(await filled(), { project: 'shop' }));
    const target = new MemoryStore();
    const other = makeModel({ name: 'other' });
    await target.putModel(makeModel({ at: '2026-11-01T00:00:00.000Z', data: { older: true } }));
    await target.putModel(other);
    const result = await importPack(target, pack);
    expect(await target.listModels()).toEqual([pack.models[0], other, pack.models[1]]);
    expect(result).toMatchObject({ written: { models: 2 }, modelsUnchanged: 0 });
  });

  it('keeps a model the store fitted after the one in the pack: an import never turns a model back', async () => {
    const pack = json(await exportPack(await filled(), { project: 'shop' }));
    const target = new MemoryStore();
    const refitted = makeModel({ at: '2026-12-01T00:00:00.000Z', data: { newer: true } });
    await target.putModel(refitted);
    const result = await importPack(target, pack);
    expect((await target.listModels()).map((m) => m.data)).toEqual([pack.models[0]!.data, refitted.data]);
    expect(result).toMatchObject({ written: { models: 1 }, modelsUnchanged: 1 });
    // Importing it again changes nothing.
    expect(await importPack(target, pack)).toMatchObject({ modelsUnchanged: 1 });
    expect((await target.listModels()).map((m) => m.data)).toEqual([pack.models[0]!.data, refitted.data]);
  });

  it('finishes a run the store has as running, and keeps one the store has finished', async () => {
    const target = new MemoryStore();
    await target.startRun(makeRun({ id: 'a', project: 'shop' }));
    await target.startRun(makeRun({ id: 'b', project: 'shop', status: 'passed', endedAt: '2026-11-24T10:09:00.000Z' }));
    const pack = json(await exportPack(new MemoryStore()));
    pack.projects = ['shop'];
    pack.runs = [makeRun({ id: 'a', project: 'shop', status: 'failed', endedAt: '2026-11-24T10:05:00.000Z' }), makeRun({ id: 'b', project: 'shop' })];
    expect(await importPack(target, pack)).toMatchObject({ written: { runs: 1 }, runsUnchanged: 1 });
    expect((await target.getRun('a'))!.status).toBe('failed');
    expect((await target.getRun('b'))!.status).toBe('passed');
  });

  it('refuses, before writing anything, a run that is another run of the same id in the store', async () => {
    const target = new MemoryStore();
    await target.startRun(makeRun({ id: 'shop-1', project: 'elsewhere' }));
    const before = await snapshot(target);
    const error = await refusal(importPack(target, json(await exportPack(await filled())), { source: 'k.json' }));
    expect(error.message).toMatch(/^The pack k\.json is refused: runs\[0\] \(id "shop-1", project "shop"\) is not the run of that id in memory \(project "elsewhere", started .*\)\. Nothing was imported\./);
    expect(error.fix).toMatch(/--as <project>/);
    expect(await snapshot(target)).toEqual(before);
  });

  it('refuses records of a run that neither the pack nor the store holds', async () => {
    const pack = json(await exportPack(await filled(), { project: 'shop' }));
    pack.runs = pack.runs.filter((r) => r.id !== 'shop-2');
    const target = new MemoryStore();
    const error = await refusal(importPack(target, pack));
    expect(error.message).toMatch(/attempts\[\d\] \(runId "shop-2", testId "id-1", retry 0\) is of run "shop-2", which neither the pack nor memory holds/);
    expect(await snapshot(target)).toEqual(await snapshot(new MemoryStore()));
    await target.startRun(makeRun({ id: 'shop-2', project: 'shop' }));
    await importPack(target, pack); // the run is in the store: its attempts and heals may come
    expect(await target.listHeals({ runId: 'shop-2' })).toHaveLength(2);
  });

  it('names the kind and how far it got when a write fails, and a second import completes it', async () => {
    const pack = json(await exportPack(await filled()));
    const target = new MemoryStore();
    const putSelectors = target.putSelectors.bind(target);
    target.putSelectors = async () => {
      throw new MedicStoreUnavailableError('The Redis store at redis://x failed: ECONNREFUSED', { fix: 'Check that Redis is running.' });
    };
    const error = await refusal(importPack(target, pack, { source: 'k.json' }));
    expect(error.message).toBe(`Importing k.json into memory stopped while writing selectors (0 of ${pack.selectors.length} written): The Redis store at redis://x failed: ECONNREFUSED\nFix: ${error.fix}`);
    expect(error.fix).toBe('Check that Redis is running; then import the pack again: an import writes nothing twice.');
    target.putSelectors = putSelectors;
    await importPack(target, pack);
    expect(await snapshot(target)).toEqual(await snapshot(await filled()));
  });
});

describe('a pack refused before anything is written', () => {
  const cases: [string, (pack: Record<string, unknown> & Pack) => unknown, RegExp, RegExp][] = [
    ['another format', (p) => ({ ...p, format: 'allure-results' }), /it is not a playwright-medic knowledge pack \(its format is "allure-results", not "playwright-medic-pack"\)/, /medic export/],
    ['not an object', () => [1, 2], /it is not a JSON object/, /medic export/],
    ['a newer version', (p) => ({ ...p, version: PACK_VERSION + 1 }), /it has version 3; this playwright-medic reads versions 1 to 2/, /Upgrade playwright-medic/],
    ['an unknown version', (p) => ({ ...p, version: '1' }), /it has version "1"; this playwright-medic reads versions 1 to 2/, /Export the pack again/],
    [
      'a broken record',
      (p) => ({ ...p, attempts: p.attempts.map((a, i) => (i === 1 ? { ...a, retry: -1 } : a)) }),
      /attempts\[1\] \(runId "shop-1", testId "id-2", retry -1\) is invalid: retry: Too small/,
      /Export the pack again with `medic export`/,
    ],
    ['a record without its key', (p) => ({ ...p, heals: [{ ...p.heals[0], id: undefined }] }), /heals\[0\] \(runId "shop-2"\) is invalid: id: /, /remove that record/],
    [
      'a broken prediction',
      (p) => ({ ...p, predictions: p.predictions.map((x, i) => (i === 1 ? { ...x, score: 1.5 } : x)) }),
      /predictions\[1\] \(project "shop", runId "shop-1", testKey "chromium › a\.spec\.ts › suite › works"\) is invalid: score: Too big/,
      /medic export/,
    ],
    [
      'a broken model',
      (p) => ({ ...p, models: p.models.map((m, i) => (i === 2 ? { ...m, data: [1, 2] } : m)) }),
      /models\[2\] \(project "shop", name "risk"\) is invalid: data: /,
      /medic export/,
    ],
    ['a model of a project not listed', (p) => ({ ...p, models: [{ ...p.models[0]!, project: 'elsewhere' }] }), /models\[0\] \(project "elsewhere", name "risk"\) is of project "elsewhere", which its "projects" do not list/, /medic export/],
    ['a prediction of a project not listed', (p) => ({ ...p, predictions: [{ ...p.predictions[0]!, project: 'elsewhere' }] }), /predictions\[0\] .* is of project "elsewhere", which its "projects" do not list/, /medic export/],
    ['a missing kind', (p) => ({ ...p, vectors: undefined }), /its vectors is invalid: /, /medic export/],
    ['an unknown field', (p) => ({ ...p, extra: 1 }), /it is invalid: Unrecognized key: "extra"/, /medic export/],
    ['a record of a project not listed', (p) => ({ ...p, projects: ['admin'] }), /runs\[0\] \(id "shop-1", project "shop"\) is of project "shop", which its "projects" do not list/, /medic export/],
    ['a run twice', (p) => ({ ...p, runs: [...p.runs, p.runs[0]] }), /runs\[4\] \(id "shop-1", project "shop"\) has the id of runs\[0\]/, /medic export/],
  ];
  for (const [name, spoil, message, fix] of cases) {
    it(`for ${name}`, async () => {
      const target = await filled();
      const before = await snapshot(target);
      const error = await refusal(importPack(target, spoil(json(await exportPack(await filled()))), { source: 'k.json' }));
      expect(error.message).toMatch(/^The pack k\.json is refused: /);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Nothing was imported\./);
      expect(error.fix).toMatch(fix);
      expect(await snapshot(target)).toEqual(before);
    });
  }
});

describe('--as', () => {
  it('renames every project field and the vectors’ project, with run and pattern ids of the new name; a Playwright project is kept', async () => {
    const pack = await exportPack(await filled(), { project: 'shop' });
    const copy = renamePack(pack, 'shop-v2');
    expect(copy.projects).toEqual(['shop-v2']);
    expect(JSON.stringify({ ...copy, source: null })).not.toMatch(/"project":"shop"/);
    expect(copy.runs.map((r) => r.id)).toEqual([renamedRunId('shop-v2', 'shop-1'), renamedRunId('shop-v2', 'shop-2')]);
    expect(copy.runs[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([...copy.attempts, ...copy.heals, ...copy.strategyExecutions, ...copy.predictions].map((r) => r.runId))).toEqual(new Set(copy.runs.map((r) => r.id)));
    expect(copy.predictions).toEqual(pack.predictions.map((p) => ({ ...p, project: 'shop-v2', runId: renamedRunId('shop-v2', p.runId) })));
    expect(copy.models).toEqual(pack.models.map((m) => ({ ...m, project: 'shop-v2' })));
    expect(copy.attempts.map((a) => a.projectName)).toEqual(pack.attempts.map((a) => a.projectName));
    expect(copy.failurePatterns.flatMap((p) => p.runs).every((id) => copy.runs.some((r) => r.id === id))).toBe(true);
    const patternIds = new Set([...copy.failurePatterns, ...copy.successPatterns].map((p) => p.id));
    expect(copy.vectors.map((v) => v.id).every((id) => patternIds.has(id))).toBe(true);
    expect(copy.vectors.every((v) => v.metadata.project === 'shop-v2')).toBe(true);
    expect(renamePack(pack, 'shop')).toBe(pack);
  });

  it('copies a project within one store without touching the original, twice as once, and its learning goes on in the copies', async () => {
    const store = await filled();
    const shop = await snapshot(store, 'shop');
    const pack = json(await exportPack(store, { project: 'shop' }));
    await importPack(store, pack, { as: 'shop-v2' });
    const copied = await snapshot(store, 'shop-v2');
    expect(await snapshot(store, 'shop')).toEqual(shop);
    expect(copied.runs).toHaveLength(shop.runs.length);
    expect(copied.heals).toEqual(shop.heals.map((h) => ({ ...h, project: 'shop-v2', runId: renamedRunId('shop-v2', h.runId) })));
    expect(copied.models).toEqual(shop.models.map((m) => ({ ...m, project: 'shop-v2' })));
    await importPack(store, pack, { as: 'shop-v2' });
    expect(await snapshot(store, 'shop-v2')).toEqual(copied);
    // The next run of shop-v2 joins the copied success patterns instead of starting new ones.
    await store.startRun(makeRun({ id: 'v2-1', project: 'shop-v2', startedAt: '2026-12-01T10:00:00.000Z' }));
    await store.recordAttempt(makeAttempt({ runId: 'v2-1', startedAt: '2026-12-01T10:00:01.000Z' }));
    const embedder = hashingEmbedder({ dimension: 64 });
    await learnSuccesses({ store, embedder, index: localIndex(store, 'successes', embedder) }, 'v2-1');
    expect((await store.listSuccessPatterns({ project: 'shop-v2' })).length).toBe(copied.successPatterns.length);
  });

  it('refuses a pack of several projects', async () => {
    const target = new MemoryStore();
    const error = await refusal(importPack(target, json(await exportPack(await filled())), { as: 'x' }));
    expect(error.message).toMatch(/The pack holds 2 projects \(admin, shop\); --as renames one/);
    expect(error.fix).toMatch(/--project <name>/);
    expect(await target.listRuns()).toEqual([]);
  });
});

describe('pure helpers', () => {
  it('tells Redis URLs of one server and database apart from others', () => {
    expect(sameRedis('redis://localhost', 'redis://127.0.0.1:6379/0')).toBe(true);
    expect(sameRedis('redis://user:pw@127.0.0.1:6379', 'rediss://127.0.0.1:6379')).toBe(true);
    expect(sameRedis('redis://127.0.0.1:6379/1', 'redis://127.0.0.1:6379')).toBe(false);
    expect(sameRedis('redis://127.0.0.1:6380', 'redis://127.0.0.1:6379')).toBe(false);
    expect(sameRedis('redis://cache.internal:6379', 'redis://127.0.0.1:6379')).toBe(false);
  });

  it('groups vectors by consecutive (collection, embedder, dimension), in order', () => {
    const v = (collection: string, embedder: string, n: number, id: string) => ({ collection, embedder, id, vector: Array.from({ length: n }, () => 1), metadata: {} });
    const groups = vectorGroups([v('failures', 'h', 4, 'a'), v('failures', 'h', 4, 'b'), v('failures', 'o', 8, 'c'), v('successes', 'h', 4, 'd'), v('failures', 'h', 4, 'e')]);
    expect(groups.map((g) => [g.collection, g.embedder, g.dimension, g.records.map((r) => r.id).join('')])).toEqual([
      ['failures', 'h', 4, 'ab'],
      ['failures', 'o', 8, 'c'],
      ['successes', 'h', 4, 'd'],
      ['failures', 'h', 4, 'e'],
    ]);
  });
});

describe('pack files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medic-pack-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are JSON, gzip when the name ends in .gz, written whole', async () => {
    const pack = await exportPack(await filled());
    writePackFile(join(dir, 'a', 'k.json'), pack);
    writePackFile(join(dir, 'a', 'k.json.gz'), pack);
    expect(JSON.parse(readFileSync(join(dir, 'a', 'k.json'), 'utf8'))).toEqual(json(pack));
    const gz = readFileSync(join(dir, 'a', 'k.json.gz'));
    expect(gz.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gz.length).toBeLessThan(readFileSync(join(dir, 'a', 'k.json')).length / 2);
    expect(readPackFile(join(dir, 'a', 'k.json.gz'))).toEqual(json(pack));
    expect(readdirSync(join(dir, 'a')).sort()).toEqual(['k.json', 'k.json.gz']); // no temporary file left
  });

  it('say what is wrong with a file that is not a pack', async () => {
    const read = async (name: string, content?: string) => {
      if (content !== undefined) writeFileSync(join(dir, name), content);
      return refusal(Promise.resolve().then(() => readPackFile(join(dir, name))));
    };
    expect((await read('missing.json')).message).toMatch(/^There is no pack file .*missing\.json\.\nFix: Write one with `medic export <file>`/);
    expect((await read('plain.json.gz', '{"format":')).message).toMatch(/plain\.json\.gz is not a readable gzip file[\s\S]*Fix: A name ending in \.gz means gzip/);
    expect((await read('half.json', '{"format":')).message).toMatch(/half\.json is not JSON/);
  });
});
