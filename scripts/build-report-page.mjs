#!/usr/bin/env node
// Bundles the learning report's page (src/report/page/main.ts, with the zod schema it
// validates against) into dist/report/page.js, which src/report/html.ts inlines into each report.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['src/report/page/main.ts'],
  outfile: 'dist/report/page.js',
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox115', 'safari16'],
  legalComments: 'none',
  logLevel: 'warning',
});
