// Bad input through a real `playwright test` run: each gives one clear message naming the
// problem and the fix, and no data is destroyed.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../src/store/migrations.js';
import { writeInlineProject, type InlineProject } from './helpers/inlineProject.js';

// The generated specs pass trivially on purpose: what is asserted is the run's behaviour around them.
function project(medicOptions = '{}'): InlineProject {
  return writeInlineProject({
    'playwright.config.ts': `
      import { defineConfig } from '@playwright/test';
      import { defineMedicConfig } from 'playwright-medic';
      const medic = defineMedicConfig(${medicOptions});
      export default defineConfig({
        globalSetup: 'playwright-medic/global-setup',
        reporter: [['line'], ['playwright-medic/reporter', medic]],
        use: { medic },
      });`,
    'a.spec.ts': `
      import { test, expect } from 'playwright-medic';
      test('one', () => expect(1).toBe(1));
      test('two', () => expect(2).toBe(2));`,
  });
}

const projects: InlineProject[] = [];
const make = (options?: string) => {
  const p = project(options);
  projects.push(p);
  return p;
};
afterEach(() => projects.splice(0).forEach((p) => p.remove()));

describe('bad input', () => {
  it('an invalid option stops the run with the option, the value and the fix', async () => {
    const run = await make('{ healing: { threshold: 2 } }').run();
    expect(run.code).toBe(1);
    const output = run.stdout + run.stderr;
    expect(output).toMatch(/healing\.threshold: Too big: expected number to be <=1 \(got 2\)/);
    expect(output).toMatch(/Fix "healing\.threshold" in defineMedicConfig/);
    expect(output).not.toMatch(/2 passed/);
  });

  it('an invalid MEDIC_* variable names the variable', async () => {
    const run = await make().run([], { MEDIC_STORE_KIND: 'mongo' });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/store\.kind: .*\(got "mongo"\)\n.*fix or unset MEDIC_STORE_KIND/);
  });

  it('a corrupt database: one warning, the run completes, the file is untouched', async () => {
    const p = make();
    mkdirSync(join(p.dir, '.medic'));
    const junk = Buffer.from('PK\u0003\u0004 not a database '.repeat(500));
    writeFileSync(join(p.dir, '.medic', 'medic.db'), junk);
    const run = await p.run();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 passed/);
    expect(run.stderr.match(/medic:/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/not a readable SQLite database .*Nothing was changed\.\nFix: Move it aside \(mv .*medic\.db .*medic\.db\.broken\)/);
    expect(readFileSync(join(p.dir, '.medic', 'medic.db')).equals(junk)).toBe(true);
  });

  it('a database from a newer version: one warning, the data stays', async () => {
    const p = make();
    const path = join(p.dir, '.medic', 'medic.db');
    expect((await p.run()).code).toBe(0);
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = readFileSync(path);
    const run = await p.run();
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 5}, newer than this playwright-medic knows`));
    expect(readFileSync(path).equals(before)).toBe(true);
    const db2 = new Database(path, { readonly: true });
    expect((db2.prepare('SELECT count(*) AS n FROM attempts').get() as { n: number }).n).toBe(2);
    db2.close();
  });

  it('.medic is not a folder: one warning naming it', async () => {
    const p = make();
    writeFileSync(join(p.dir, '.medic'), 'somebody else uses this name');
    const run = await p.run();
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Cannot create the knowledge store folder .*\.medic: a file is in the way of that folder\.\nFix: /);
    expect(readFileSync(join(p.dir, '.medic'), 'utf8')).toBe('somebody else uses this name');
  });

  it('.medic is not writable (run as an unprivileged user): one warning, the run completes', async () => {
    const p = make();
    mkdirSync(join(p.dir, '.medic'));
    chmodSync(join(p.dir, '.medic'), 0o555);
    chmodSync(p.dir, 0o777); // Playwright writes test-results/ beside the config
    const nobody = process.getuid?.() === 0;
    const run = await p.run([], {}, nobody ? { uid: 65534, gid: 65534 } : {});
    expect(run.stdout).toMatch(/2 passed/);
    expect(run.stderr.match(/medic:/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/Cannot open the knowledge store .*medic\.db: its folder .*\.medic is not writable\.\nFix: /);
  });
});
