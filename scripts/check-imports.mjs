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
if (problems.length) {
  console.error(`Import-direction check failed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('import-direction check: ok');
