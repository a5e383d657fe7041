import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { makeRun } from '../store/contract.testkit.js';
import { MemoryStore } from '../store/memory.js';
import { openSqliteStore } from '../store/sqliteOpen.js';
import { sha256, sourceHashes } from './sources.js';

const dir = mkdtempSync(join(tmpdir(), 'medic-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sourceHashes', () => {
  it('hashes the spec and its local imports, followed through the page objects, relative to the root dir', () => {
    mkdirSync(join(dir, 'pages'), { recursive: true });
    writeFileSync(join(dir, 'cart.spec.ts'), "import { CartPage } from './pages/CartPage.js';\nimport { test } from '@playwright/test';\n");
    writeFileSync(join(dir, 'pages/CartPage.ts'), "import { badge } from './shop';\nexport class CartPage {}\n");
    writeFileSync(join(dir, 'pages/shop.ts'), 'export const badge = 1;\n');
    writeFileSync(join(dir, 'unrelated.ts'), 'export {};\n');
    expect(sourceHashes(dir, 'cart.spec.ts')).toEqual({
      'cart.spec.ts': sha256("import { CartPage } from './pages/CartPage.js';\nimport { test } from '@playwright/test';\n"),
      'pages/CartPage.ts': sha256("import { badge } from './shop';\nexport class CartPage {}\n"),
      'pages/shop.ts': sha256('export const badge = 1;\n'),
    });
    expect(sourceHashes(dir, 'missing.spec.ts')).toEqual({});
  });

  it('is kept with a heal by every store adapter (the event is stored whole)', async () => {
    const sources = { 'cart.spec.ts': sha256('x'), 'pages/CartPage.ts': sha256('y') };
    for (const store of [new MemoryStore(), openSqliteStore({ path: join(dir, 'medic.db') })]) {
      try {
        await store.startRun(makeRun());
        await store.recordHeals([makeHeal({ sources }), makeHeal({ id: 'old', sources: undefined })]);
        const heals = await store.listHeals({ runId: makeRun().id });
        expect(Object.fromEntries(heals.map((h) => [h.id, h.sources]))).toEqual({ 'id-1#0#1': sources, old: undefined });
      } finally {
        await store.close();
      }
    }
  });
});
