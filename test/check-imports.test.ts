import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const script = new URL('../scripts/check-imports.mjs', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'medic-imports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function check(files: Record<string, string>) {
  const dir = mkdtempSync(join(root, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return spawnSync(process.execPath, [script, '--root', dir], { encoding: 'utf8' });
}

it('passes a tree that keeps the directions', () => {
  const result = check({
    'src/healing/score.ts': "import { MedicError } from '../errors.js';\nimport { rank } from './rank.js';",
    'src/store/sqlite.ts': "import Database from 'better-sqlite3';\nimport { score } from '../healing/score.js';",
    'reporter/index.ts': "import { openStore } from '../src/store/open.js';",
  });
  expect(result.status).toBe(0);
});

it('flags src importing the reporter, I/O in src/healing, and reporter importing fixtures', () => {
  const result = check({
    'src/learning/x.ts': "import { MedicReporter } from '../../reporter/index.js';",
    'src/healing/capture.ts': "import { readFileSync } from 'node:fs';\nimport type { Page } from '@playwright/test';\nimport { openStore } from '../store/open.js';",
    'reporter/index.ts': "export { test } from '../fixtures/index.js';",
  });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n').slice(1);
  expect(lines).toHaveLength(5);
  expect(result.stderr).toMatch(/src\/learning\/x.ts: imports '..\/..\/reporter\/index.js'/);
  expect(result.stderr).toMatch(/src\/healing\/capture.ts: imports 'node:fs'/);
  expect(result.stderr).toMatch(/src\/healing\/capture.ts: imports '@playwright\/test'/);
  expect(result.stderr).toMatch(/src\/healing\/capture.ts: imports '..\/store\/open.js'/);
  expect(result.stderr).toMatch(/reporter\/index.ts: imports '..\/fixtures\/index.js'/);
});

it('keeps the report page to itself, the report schema and zod (it runs in the browser)', () => {
  const result = check({
    'src/report/schema.ts': "import * as z from 'zod';",
    'src/report/page/main.ts': "import { reportDataSchema } from '../schema.js';\nimport { h } from './dom.js';\nimport { prettifyError } from 'zod';\nimport { gzipSync } from 'node:zlib';\nimport { buildReportData } from '../build.js';",
  });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n').slice(1);
  expect(lines).toHaveLength(2);
  expect(result.stderr).toMatch(/src\/report\/page\/main.ts: imports 'node:zlib'/);
  expect(result.stderr).toMatch(/src\/report\/page\/main.ts: imports '..\/build.js'/);
});

it('flags an optional backend SDK that a test run would load (fixtures, reporter, global setup), with the chain that loads it', () => {
  const result = check({
    'fixtures/index.ts': "import { openIndex } from '../src/vector/open.js';\nimport type { Llm } from '../src/llm/llm.js';",
    'src/vector/open.ts': "import { chromaIndex } from './chromaIndex.js';",
    'src/vector/chromaIndex.ts': "import { ChromaClient } from 'chromadb';",
    // Not loaded by a run: type-only, behind import(), or reached only from the CLI.
    'src/llm/llm.ts': "import OpenAI from 'openai';",
    'reporter/index.ts': "import type { ChromaClient } from 'chromadb';\nexport const load = () => import('../src/vector/chroma.js');",
    'src/vector/chroma.ts': "import { ChromaClient } from 'chromadb';",
    'src/cli/doctor.ts': "import OpenAI from 'openai';",
  });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n').slice(1);
  expect(lines).toEqual([
    "  src/vector/chromaIndex.ts: imports 'chromadb' statically, so fixtures/index.ts loads it (fixtures/index.ts → src/vector/open.ts → src/vector/chromaIndex.ts) — load it on first use (await import())",
  ]);
});

it('passes the same SDK loaded on first use', () => {
  const result = check({
    'fixtures/index.ts': "import { openIndex } from '../src/vector/open.js';",
    'src/vector/open.ts': "import { chromaIndex } from './chromaIndex.js';",
    'src/vector/chromaIndex.ts': "import type { ChromaClient } from 'chromadb';\nconst load = () => import('chromadb');",
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
