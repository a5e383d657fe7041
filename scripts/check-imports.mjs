#!/usr/bin/env node
// Import-direction check (the model is Playwright's DEPS.list): each rule names the files it
// covers and the imports they may not use. Run by `npm run lint`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? resolve(process.argv[rootArg + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_IO = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|tls|worker_threads|cluster|process|os|readline)$/;
const IO_PACKAGES = /^(better-sqlite3|ioredis|chromadb|openai|@playwright\/test|playwright|playwright-core)(\/|$)/;

const rules = [
  {
    files: 'src/',
    why: 'src/ is the engine: it never imports the reporter or the fixtures',
    forbidden: (spec, target) => target !== undefined && (target.startsWith('reporter/') || target.startsWith('fixtures/')),
  },
  {
    files: 'src/healing/',
    why: 'src/healing is pure: no I/O modules, no drivers, nothing outside src/healing but src/errors',
    forbidden: (spec, target) =>
      NODE_IO.test(spec) || IO_PACKAGES.test(spec) || (target !== undefined && !target.startsWith('src/healing/') && target !== 'src/errors.ts'),
  },
  {
    files: 'src/report/page/',
    why: 'the report page runs in the browser: nothing but itself, the report schema and zod',
    forbidden: (spec, target) =>
      target === undefined ? spec !== 'zod' : !target.startsWith('src/report/page/') && target !== 'src/report/schema.ts',
  },
  {
    files: 'reporter/',
    why: 'reporter/ and fixtures/ talk only through the message schema in src/',
    forbidden: (spec, target) => target !== undefined && target.startsWith('fixtures/'),
  },
  {
    files: 'fixtures/',
    why: 'reporter/ and fixtures/ talk only through the message schema in src/',
    forbidden: (spec, target) => target !== undefined && target.startsWith('reporter/'),
  },
];

function* sourceFiles(dir) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) yield path.split(sep).join('/');
  }
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const problems = [];
for (const top of ['src', 'reporter', 'fixtures']) {
  if (!existsSync(join(root, top))) continue;
  for (const file of sourceFiles(top)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3];
      const target = spec.startsWith('.')
        ? relative(root, resolve(root, dirname(file), spec)).split(sep).join('/').replace(/\.js$/, '.ts')
        : undefined;
      for (const rule of rules) {
        if (file.startsWith(rule.files) && rule.forbidden(spec, target)) problems.push(`${file}: imports '${spec}' — ${rule.why}`);
      }
    }
  }
}
// Optional backends (Chroma, an LLM or embedding endpoint) are loaded when a config uses them:
// nothing a test run loads (the fixtures, the reporter, the global setup) imports their SDKs
// statically, or every worker and the runner would pay for loading them. (ioredis stays static:
// `openStore` is synchronous, and a worker cannot use `import.meta` for a lazy `require`, as
// Playwright's loader turns such a module into CommonJS.)
const OPTIONAL = /^(chromadb|openai)(\/|$)/;
const ENTRIES = ['fixtures/index.ts', 'reporter/index.ts', 'src/risk/globalSetup.ts'];
// Static imports that load a module: not `import type`/`export type`, not `import()`.
const STATIC = /(?:^|\n)\s*(?:import|export)\s+(type\s)?[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const loads = new Map(); // file → its static value imports
const staticImports = (file) => {
  if (!loads.has(file)) {
    const text = existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : '';
    loads.set(file, [...text.matchAll(STATIC)].filter((m) => !m[1]).map((m) => m[2] ?? m[3]));
  }
  return loads.get(file);
};
for (const entry of ENTRIES.filter((e) => existsSync(join(root, e)))) {
  const via = new Map([[entry, undefined]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift();
    for (const spec of staticImports(file)) {
      if (OPTIONAL.test(spec)) {
        const chain = [];
        for (let f = file; f; f = via.get(f)) chain.unshift(f);
        problems.push(`${file}: imports '${spec}' statically, so ${entry} loads it (${chain.join(' → ')}) — load it on first use (await import())`);
        continue;
      }
      if (!spec.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(file), spec)).split(sep).join('/').replace(/\.js$/, '.ts');
      if (via.has(target)) continue;
      via.set(target, file);
      queue.push(target);
    }
  }
}

if (problems.length) {
  console.error(`Import-direction check failed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('import-direction check: ok');
