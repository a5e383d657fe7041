#!/usr/bin/env node
// Captures Playwright's real error messages as fixtures for src/learning (categoriser, signature).
// Runs the deliberately failing suite in test/error-capture twice with the JSON reporter and writes
//   src/learning/testdata/playwright-errors.json       (run 1)
//   src/learning/testdata/playwright-errors.run2.json  (run 2)
// each an array of { id, title, expected, message, stack, playwrightVersion }, sorted by id.
// `expected` is the category the test title starts with (`<category>: <what fails>`), or, when a
// result has several errors of different kinds, the test's `capture-expected` annotation: one
// category per error, comma-separated (e.g. `timeout, selector_missing`). The suite is
// expected to fail; this script fails only when the report is missing or a test did not fail.
// Usage: node scripts/capture-errors.mjs   (needs a built dist/: npx tsc -p tsconfig.build.json)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const outDir = join(root, 'src/learning/testdata');
const outputs = ['playwright-errors.json', 'playwright-errors.run2.json'];

// CSI sequences (colours, cursor) and OSC sequences (hyperlinks).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const stripAnsi = (text) => text.replace(ANSI, '');

/** Runs the suite once; returns the parsed JSON report. */
function runSuite(work, run) {
  const reportFile = join(work, `report-${run}.json`);
  const child = spawnSync('npx', ['playwright', 'test', '-c', 'test/error-capture', '--reporter=json'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PLAYWRIGHT_JSON_OUTPUT_FILE: reportFile,
      MEDIC_CAPTURE_OUTPUT_DIR: join(work, `results-${run}`),
      PLAYWRIGHT_NO_COPY_PROMPT: '1',
      FORCE_COLOR: '0',
    },
  });
  if (child.error) throw child.error;
  if (!existsSync(reportFile)) throw new Error(`run ${run}: playwright exited with ${child.status} and wrote no report`);
  return JSON.parse(readFileSync(reportFile, 'utf8'));
}

function* specsOf(suite) {
  for (const spec of suite.specs ?? []) yield spec;
  for (const child of suite.suites ?? []) yield* specsOf(child);
}

/**
 * The JSON reporter keeps the first error raw (`result.error`: message, stack) but serialises
 * `result.errors` formatted: message, a blank line, the code snippet, then the `at` lines.
 * This takes such a formatted error apart again.
 */
function unformat(formatted) {
  const lines = stripAnsi(formatted).split('\n');
  let end = lines.length;
  while (end > 0 && /^\s+at /.test(lines[end - 1])) end--;
  const frames = lines.slice(end);
  let body = lines.slice(0, end);
  // The snippet: `   12 | code`, `>  13 | code`, `      |     ^`, after a blank line.
  const isSnippet = (line) => /^\s*>?\s*\d*\s+\|/.test(line);
  let cut = body.length;
  while (cut > 0 && (isSnippet(body[cut - 1]) || body[cut - 1].trim() === '')) cut--;
  if (body.slice(cut).some(isSnippet)) body = body.slice(0, cut);
  const message = body.join('\n').replace(/\s+$/, '');
  return { message, stack: frames.length ? `${message}\n${frames.join('\n')}` : '' };
}

function collect(report) {
  const playwrightVersion = report.config?.version ?? 'unknown';
  const records = [];
  const problems = [];
  for (const suite of report.suites ?? []) {
    for (const spec of specsOf(suite)) {
      const category = /^([a-z_]+):/.exec(spec.title)?.[1];
      if (!category) problems.push(`"${spec.title}" does not start with "<category>:"`);
      for (const test of spec.tests) {
        for (const result of test.results) {
          if (result.status === 'passed' || result.status === 'skipped') {
            problems.push(`"${spec.title}" ${result.status}; every capture test must fail`);
            continue;
          }
          const errors = [];
          if (result.error) {
            const message = stripAnsi(result.error.message ?? result.error.value ?? '');
            errors.push({ message, stack: stripAnsi(result.error.stack ?? '') });
          }
          for (const extra of (result.errors ?? []).slice(result.error ? 1 : 0)) errors.push(unformat(extra.message ?? ''));
          if (!errors.length) problems.push(`"${spec.title}" ${result.status} without an error`);
          const annotation = [...(result.annotations ?? []), ...(test.annotations ?? [])].find((a) => a.type === 'capture-expected');
          const perError = annotation?.description?.split(',').map((name) => name.trim());
          errors.forEach((error, index) => {
            const retry = result.retry ? `@retry${result.retry}` : '';
            records.push({
              id: `${basename(spec.file)}::${spec.title}#${index}${retry}`,
              title: spec.title,
              expected: perError?.[index] ?? category ?? 'unknown',
              message: error.message,
              stack: error.stack,
              playwrightVersion,
            });
          });
        }
      }
    }
  }
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { records, problems };
}

const work = mkdtempSync(join(tmpdir(), 'medic-capture-'));
let failed = false;
try {
  mkdirSync(outDir, { recursive: true });
  outputs.forEach((name, index) => {
    const { records, problems } = collect(runSuite(work, index + 1));
    for (const problem of problems) console.error(`run ${index + 1}: ${problem}`);
    if (problems.length) failed = true;
    writeFileSync(join(outDir, name), `${JSON.stringify(records, null, 2)}\n`);
    const counts = {};
    for (const record of records) counts[record.expected] = (counts[record.expected] ?? 0) + 1;
    console.log(`run ${index + 1}: ${records.length} errors → src/learning/testdata/${name}`, counts);
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
