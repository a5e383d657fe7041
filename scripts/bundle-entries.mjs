#!/usr/bin/env node
// Bundles the package's entry points (the fixture, the reporter, the global setup) from tsc's
// output in dist/ into dist/bundle/, with the chunks they share: a Playwright worker then loads
// a few files instead of a few hundred modules (ours, zod's, cockatiel's). Packages with native
// code, CommonJS or optional ones (and Playwright itself, which must be the user's copy) stay imports.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const inlined = new Set(['zod', 'cockatiel']);
const external = [...Object.keys(manifest.dependencies ?? {}).filter((name) => !inlined.has(name)), '@playwright/test', 'playwright', 'playwright-core'];
await build({
  absWorkingDir: root,
  entryPoints: ['dist/fixtures/index.js', 'dist/reporter/index.js', 'dist/src/risk/globalSetup.js'],
  outbase: 'dist',
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
