import type { FullConfig } from '@playwright/test';
import { resolveMedicConfig, type MedicConfig } from '../config/index.js';

const REPORTER_NAME = /(^|[\\/])playwright-medic[\\/]reporter$|^playwright-medic\/reporter$/;

/** The medic options of a Playwright config: from the medic reporter entry, else from `use.medic`. */
export function medicOptionsOf(config: FullConfig): unknown {
  const entry = config.reporter.find(([name]) => REPORTER_NAME.test(name));
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
