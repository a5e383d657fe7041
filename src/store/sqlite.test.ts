import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isMedicStoreError } from '../errors.js';
import { makeAttempt, makeRun, storeContract } from './contract.testkit.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION } from './migrations.js';
import { openSqliteStore } from './sqlite.js';

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
      import { openSqliteStore } from ${JSON.stringify(new URL('../../dist/src/store/sqlite.js', import.meta.url).pathname)};
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
      import { openSqliteStore } from ${JSON.stringify(new URL('../../dist/src/store/sqlite.js', import.meta.url).pathname)};
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
});
