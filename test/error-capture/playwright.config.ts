// A suite that fails on purpose, each test in one known way, so that `scripts/capture-errors.mjs`
// can record Playwright's real error messages as fixtures for src/learning (categoriser, signature).
// Every test title starts with the category it is meant to produce: `<category>: <what fails>`.
// Everything is local: page.setContent, data: URLs, a tiny http server (fixtures.ts) and closed
// local ports; `.invalid` host names never resolve, so no traffic leaves the machine.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../../dist/src/browser/chromium.js';

// After a failure Playwright takes an aria snapshot of the page for error-context.md while the
// context closes; on a page stuck in a navigation that snapshot waits 5s and turns into a flaky
// extra "Tearing down "context" exceeded the test timeout" error. Workers inherit this variable.
process.env.PLAYWRIGHT_NO_COPY_PROMPT ??= '1';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: process.env.MEDIC_CAPTURE_OUTPUT_DIR ?? join(tmpdir(), 'medic-error-capture-results'),
  fullyParallel: true,
  retries: 0,
  timeout: 5_000,
  expect: { timeout: 1_000 },
  reporter: 'list',
  use: {
    launchOptions: chromiumLaunchOptions(),
    actionTimeout: 1_000,
    navigationTimeout: 1_500,
    trace: 'off',
    screenshot: 'off',
    video: 'off',
  },
});
