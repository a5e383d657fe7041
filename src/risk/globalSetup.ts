import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FullConfig } from '@playwright/test';
import { resolveMedicConfig, type MedicConfig } from '../config/index.js';

// Playwright gives reporter entries as resolved file paths; ours is this package's reporter module.
const OUR_REPORTER = realpath(fileURLToPath(new URL('../../reporter/index.js', import.meta.url)));

function realpath(path: string): string {
  return existsSync(path) ? realpathSync(path) : path;
}

function isOurReporter(name: string): boolean {
  return name === 'playwright-medic/reporter' || realpath(name) === OUR_REPORTER;
}

/** The medic options of a Playwright config: from the medic reporter entry, else from `use.medic`. */
export function medicOptionsOf(config: FullConfig): unknown {
  const entry = config.reporter.find(([name]) => isOurReporter(name));
  if (entry) return entry[1];
  for (const project of config.projects) {
    const use = project.use as { medic?: unknown };
    if (use.medic !== undefined) return use.medic;
  }
  return undefined;
}

/**
 * Playwright `globalSetup`: validates playwright-medic's configuration before any test starts.
 * (Risk scoring before the suite comes here in a later version.)
 * @example globalSetup: 'playwright-medic/global-setup'
 */
export default async function globalSetup(config: FullConfig): Promise<MedicConfig> {
  return resolveMedicConfig(medicOptionsOf(config));
}
