// The demo suite: e2e/demo specs against the demo app in e2e/apps/<version>, with
// playwright-medic's reporter. MEDIC_APP_VERSION picks the app version (v1 by default).
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions, defineMedicConfig, type MedicTestOptions } from 'playwright-medic';

const version = process.env.MEDIC_APP_VERSION ?? 'v1';
const port = Number(process.env.MEDIC_DEMO_PORT ?? 4173);
const medic = defineMedicConfig({});
// Playwright resolves reporter ids from its own module (require.resolve with paths), where the
// package's self-reference does not apply; resolve it here, inside the package, instead.
const medicReporter = fileURLToPath(import.meta.resolve('playwright-medic/reporter'));
// MEDIC_DEMO_GLOBAL_SETUP=1 adds the global setup (risk scoring, pre-flight); off by default so
// the acceptance test's runs stay as they are.
const globalSetup = process.env.MEDIC_DEMO_GLOBAL_SETUP ? fileURLToPath(import.meta.resolve('playwright-medic/global-setup')) : undefined;

export default defineConfig<MedicTestOptions>({
  ...(globalSetup ? { globalSetup } : {}),
  testDir: './e2e/demo',
  fullyParallel: true,
  timeout: 20_000,
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 2 : undefined,
  // MEDIC_DEMO_JSON=<file> adds Playwright's JSON report (test/fixture.integration.test.ts reads it).
  reporter: [['list'], [medicReporter, medic], ...(process.env.MEDIC_DEMO_JSON ? [['json', { outputFile: process.env.MEDIC_DEMO_JSON }] as const] : [])],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    medic,
    actionTimeout: 5_000,
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() },
    },
  ],
  webServer: {
    command: `node e2e/server.mjs --app ${version} --port ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    stdout: 'ignore',
  },
});
