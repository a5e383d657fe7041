import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isMedicStoreError } from '../errors.js';
import type { SelectorObservation } from '../learning/catalog.js';
import { makeHeal, makeObservation } from './contract.learning.testkit.js';
import { makeAttempt, makeRun, storeContract } from './contract.testkit.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqliteOpen.js';
import { mostHoldersAtOnce } from './lock.testkit.js';

const root = mkdtempSync(join(tmpdir(), 'medic-sqlite-'));
let count = 0;
const freshPath = () => join(root, `db-${++count}`, 'medic.db');
afterAll(() => rmSync(root, { recursive: true, force: true }));

storeContract('sqlite', async () => openSqliteStore({ path: freshPath() }));

function openError(path: string): Error {
  try {
    openSqliteStore({ path }).close();
  } catch (error) {
    expect(isMedicStoreError(error)).toBe(true);
    return error as Error;
  }
  throw new Error(`expected opening ${path} to fail`);
}

describe('sqlite store', () => {
  it('holds a lock across the stores of one file, and takes over one whose holder died', async () => {
    const path = freshPath();
    const [a, b] = [openSqliteStore({ path }), openSqliteStore({ path })];
    expect(await mostHoldersAtOnce(a, b)).toBe(1);
    // A holder that died left its folder, last renewed long ago: the next one takes it over.
    const lock = `${path}.lock-${encodeURIComponent('learn:shop')}`;
    mkdirSync(lock);
    const past = new Date(Date.now() - 5 * 60_000);
    utimesSync(lock, past, past);
    expect(await b.exclusive('learn:shop', async () => 'taken over')).toBe('taken over');
    expect(existsSync(lock)).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('creates its folder, uses WAL, and keeps data across reopen', async () => {
    const path = freshPath();
    const store = openSqliteStore({ path });
    await store.startRun(makeRun());
    await store.recordAttempt(makeAttempt());
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
    const again = openSqliteStore({ path });
    expect(await again.listAttempts()).toEqual([makeAttempt()]);
    await again.close();
  });

  it('refuses a corrupt file and leaves it byte for byte as it was', () => {
    const path = freshPath();
    mkdirSync(join(path, '..'), { recursive: true });
    const junk = Buffer.from('this is not a database, but somebody may still want it back\n'.repeat(200));
    writeFileSync(path, junk);
    expect(openError(path).message).toMatch(/not a readable SQLite database[\s\S]*Nothing was changed[\s\S]*Fix: Move it aside/);
    expect(readFileSync(path).equals(junk)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a database from a newer version without touching it', async () => {
    const path = freshPath();
    (await openSqliteStore({ path })).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = readFileSync(path);
    expect(openError(path).message).toMatch(new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}, newer[\\s\\S]*Fix: Upgrade playwright-medic`));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses another application's SQLite database", () => {
    const path = freshPath();
    mkdirSync(join(path, '..'), { recursive: true });
    const db = new Database(path);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5);');
    db.close();
    expect(openError(path).message).toMatch(/not playwright-medic's/);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT total FROM invoices').get()).toEqual({ total: 12.5 });
    expect(check.pragma('application_id', { simple: true })).not.toBe(APPLICATION_ID);
    check.close();
  });

  it('says so when the path is a directory or a file is in the way of its folder', () => {
    const dirPath = freshPath();
    mkdirSync(dirPath, { recursive: true });
    expect(openError(dirPath).message).toMatch(/is a directory[\s\S]*Fix:/);
    const blocked = freshPath();
    mkdirSync(join(blocked, '..', '..'), { recursive: true });
    writeFileSync(join(blocked, '..'), 'a file named like the folder');
    expect(openError(blocked).message).toMatch(/Cannot create the knowledge store folder[\s\S]*a file is in the way/);
  });

  it('says so when the folder is not writable (checked as an unprivileged user)', () => {
    const dir = join(root, `readonly-${++count}`);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o555);
    chmodSync(root, 0o755);
    const script = `
      import { openSqliteStore } from ${JSON.stringify(new URL('../../dist/src/store/sqliteOpen.js', import.meta.url).pathname)};
      try { openSqliteStore({ path: ${JSON.stringify(join(dir, 'sub', 'medic.db'))} }); console.log('opened'); }
      catch (e) { console.log(e.message); }`;
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asNobody });
    expect(result.stdout).toMatch(/Cannot create the knowledge store folder .*: it is not writable\.\nFix: Make/);
  });

  it('loses nothing when several processes write at once', async () => {
    const path = freshPath();
    const setup = openSqliteStore({ path });
    await setup.startRun(makeRun());
    await setup.close();
    const writer = `
      import { openSqliteStore } from ${JSON.stringify(new URL('../../dist/src/store/sqliteOpen.js', import.meta.url).pathname)};
      const store = openSqliteStore({ path: process.argv[1] });
      const worker = Number(process.argv[2]);
      const base = ${JSON.stringify(makeAttempt())};
      for (let i = 0; i < 150; i++) await store.recordAttempt({ ...base, testId: 'w' + worker + '-' + i, workerIndex: worker });
      await store.close();`;
    const { spawn } = await import('node:child_process');
    const exits = await Promise.all(
      [0, 1, 2, 3].map(
        (worker) =>
          new Promise<number | null>((done) =>
            spawn(process.execPath, ['--input-type=module', '-e', writer, path, String(worker)], { stdio: 'inherit' }).on('exit', done),
          ),
      ),
    );
    expect(exits).toEqual([0, 0, 0, 0]);
    const store = openSqliteStore({ path });
    const attempts = await store.listAttempts({ runId: 'run-1' });
    expect(attempts).toHaveLength(600);
    expect(new Set(attempts.map((a) => a.testId)).size).toBe(600);
    await store.close();
  });

  it('loses no selector observation when several processes merge into the same records at once', async () => {
    const path = freshPath();
    (await openSqliteStore({ path })).close();
    const selectors = ['internal:role=button[name="Save"i]', 'internal:testid=[data-testid="cart"s]', 'internal:text="Checkout"i'];
    const observe = (worker: number, i: number): SelectorObservation =>
      makeObservation({
        selector: selectors[i % 3]!,
        code: `code ${i % 3}`,
        pageKey: i % 2 ? '/orders/:id' : '/cart',
        outcome: (i + worker) % 4 === 0 ? 'healed' : 'worked',
        healedTo: (i + worker) % 4 === 0 ? { selector: `#alt-${worker % 2}`, code: `locator('#alt-${worker % 2}')` } : undefined,
        at: new Date(Date.UTC(2026, 10, 24, 10, worker, i)).toISOString(),
      });
    const workers = [0, 1, 2, 3].map((worker) => Array.from({ length: 50 }, (_, i) => observe(worker, i)));
    const writer = `
      import { openSqliteStore } from ${JSON.stringify(new URL('../../dist/src/store/sqliteOpen.js', import.meta.url).pathname)};
      const store = openSqliteStore({ path: process.argv[1] });
      const observations = JSON.parse(process.argv[2]);
      for (let i = 0; i < observations.length; i += 5) await store.recordSelectors('shop', observations.slice(i, i + 5));
      await store.close();`;
    const { spawn } = await import('node:child_process');
    const exits = await Promise.all(
      workers.map(
        (observations) =>
          new Promise<number | null>((done) =>
            spawn(process.execPath, ['--input-type=module', '-e', writer, path, JSON.stringify(observations)], { stdio: 'inherit' }).on('exit', done),
          ),
      ),
    );
    expect(exits).toEqual([0, 0, 0, 0]);
    const expected = new Map<string, { timesUsed: number; failureCount: number; healed: number; lastSeen: string }>();
    for (const o of workers.flat()) {
      const e = expected.get(`${o.pageKey} ${o.selector}`) ?? { timesUsed: 0, failureCount: 0, healed: 0, lastSeen: '' };
      if (o.outcome === 'worked') e.timesUsed++;
      else e.failureCount++;
      if (o.healedTo) e.healed++;
      if (o.at > e.lastSeen) e.lastSeen = o.at;
      expected.set(`${o.pageKey} ${o.selector}`, e);
    }
    const store = openSqliteStore({ path });
    const records = await store.listSelectors({ project: 'shop' });
    await store.close();
    expect(records).toHaveLength(6);
    const actual = new Map(
      records.map((r) => [
        `${r.pageKey} ${r.selector}`,
        { timesUsed: r.timesUsed, failureCount: r.failureCount, healed: r.alternatives.reduce((n, a) => n + a.timesUsed, 0), lastSeen: r.lastSeen },
      ]),
    );
    expect(actual).toEqual(expected);
    expect(records.reduce((n, r) => n + r.timesUsed + r.failureCount, 0)).toBe(200);
  });

  it('upgrades a version 1 store to the catalog and heals, keeping its runs and attempts and a backup', async () => {
    const path = freshPath();
    const v1 = openSqliteStore({ path, migrations: MIGRATIONS.slice(0, 1) });
    await v1.startRun(makeRun());
    await v1.recordAttempt(makeAttempt());
    await v1.close();
    expect(() => openSqliteStore({ path, readonly: true })).toThrow(/older schema version 1[\s\S]*Run your suite once/);
    const store = openSqliteStore({ path });
    expect(await store.getRun('run-1')).toEqual(makeRun());
    expect(await store.listAttempts()).toEqual([makeAttempt()]);
    await store.recordSelectors('shop', [makeObservation()]);
    await store.recordHeals([makeHeal()]);
    expect(await store.listHeals()).toEqual([makeHeal()]);
    expect((await store.listSelectors())[0]).toMatchObject({ project: 'shop', timesUsed: 1 });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
    const backup = new Database(`${path}.v1.bak`, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect((backup.prepare('SELECT count(*) AS n FROM attempts').get() as { n: number }).n).toBe(1);
    expect(backup.prepare("SELECT name FROM sqlite_master WHERE name IN ('selectors', 'heals')").all()).toEqual([]);
    backup.close();
  });

  it('validates catalog and heal rows when it reads them', async () => {
    const path = freshPath();
    const store = openSqliteStore({ path });
    await store.startRun(makeRun());
    await store.recordSelectors('shop', [makeObservation()]);
    await store.recordHeals([makeHeal()]);
    await store.close();
    const db = new Database(path);
    db.exec(`UPDATE selectors SET data = json_set(data, '$.confidence', 7); UPDATE heals SET data = json_set(data, '$.review', 'maybe');`);
    db.close();
    const again = openSqliteStore({ path });
    await expect(again.listSelectors()).rejects.toThrow(/A row of selectors in .* does not match its schema[\s\S]*confidence/);
    await expect(again.recordSelectors('shop', [makeObservation()])).rejects.toThrow(/A row of selectors/);
    await expect(again.listHeals()).rejects.toThrow(/A row of heals in .* does not match its schema[\s\S]*review/);
    await again.close();
  });

  it('upgrades an older schema after keeping a copy of the old data, WAL included', async () => {
    const path = freshPath();
    const old = openSqliteStore({ path });
    await old.startRun(makeRun());
    await old.recordAttempt(makeAttempt());
    // no close: the rows may still sit in the -wal file, which a plain file copy would miss
    const next = [...MIGRATIONS, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);'];
    const upgraded = openSqliteStore({ path, migrations: next });
    expect(await upgraded.listAttempts()).toEqual([makeAttempt()]);
    await upgraded.close();
    await old.close();
    const backup = new Database(`${path}.v${MIGRATIONS.length}.bak`, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect((backup.prepare('SELECT count(*) AS n FROM attempts').get() as { n: number }).n).toBe(1);
    backup.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(next.length);
    db.close();
    // and the shipped version now refuses it as too new, without touching it
    expect(openError(path).message).toMatch(/newer than this playwright-medic knows/);
  });

  it('many processes opening a new store at once all succeed', async () => {
    const { spawn } = await import('node:child_process');
    const opener = `
      import { openSqliteStore } from ${JSON.stringify(new URL('../../dist/src/store/sqliteOpen.js', import.meta.url).pathname)};
      for (let i = 0; i < 40; i++) {
        const path = process.argv[1] + '/' + i + '/medic.db';
        try { (await openSqliteStore({ path })).close(); } catch (e) { console.log(e.message); process.exitCode = 1; }
      }`;
    const dir = join(root, `race-${++count}`);
    const exits = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<number | null>((done) => spawn(process.execPath, ['--input-type=module', '-e', opener, dir], { stdio: 'inherit' }).on('exit', done)),
      ),
    );
    expect(exits).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('a good store in a read-only folder is not called corrupt (checked as an unprivileged user)', async () => {
    const path = freshPath();
    (await openSqliteStore({ path })).close();
    chmodSync(root, 0o755);
    chmodSync(join(path, '..'), 0o555);
    const script = `
      import { openSqliteStore } from ${JSON.stringify(new URL('../../dist/src/store/sqliteOpen.js', import.meta.url).pathname)};
      try { openSqliteStore({ path: ${JSON.stringify(path)} }); console.log('opened'); } catch (e) { console.log(e.message); }`;
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asNobody });
    expect(result.stdout).toMatch(/its folder .* is not writable/);
    expect(result.stdout).not.toMatch(/not a readable SQLite database|Move it aside/);
  });

  it('opens read-only without creating, migrating or writing anything', async () => {
    const missing = freshPath();
    expect(() => openSqliteStore({ path: missing, readonly: true })).toThrow(/There is no knowledge store at .* yet/);
    expect(existsSync(join(missing, '..'))).toBe(false);
    const path = freshPath();
    const store = openSqliteStore({ path });
    await store.startRun(makeRun());
    await store.close();
    const before = readFileSync(path);
    const reader = openSqliteStore({ path, readonly: true });
    expect((await reader.listRuns()).map((r) => r.id)).toEqual(['run-1']);
    await expect(reader.startRun(makeRun({ id: 'x' }))).rejects.toThrow(/Cannot write/);
    await reader.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
