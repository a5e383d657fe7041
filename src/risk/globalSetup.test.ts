import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { describe, expect, it } from 'vitest';
// The built module, as a user's Playwright loads it (the package's export, its bundle); the
// reporter path is resolved the way Playwright resolves a reporter id ('playwright-medic/reporter'
// → the package's file).
import globalSetup, { medicOptionsOf } from 'playwright-medic/global-setup';

const reporterPath = createRequire(import.meta.url).resolve('playwright-medic/reporter');

// A folder without a store: risk scoring has nothing to read and stays quiet.
const rootDir = mkdtempSync(join(tmpdir(), 'medic-setup-'));

function config(reporter: FullConfig['reporter'], use: Record<string, unknown> = {}): FullConfig {
  return { reporter, projects: [{ use }], rootDir, configFile: undefined, version: '1.65.1' } as unknown as FullConfig;
}

describe('global setup', () => {
  it("finds the options of the medic reporter entry as Playwright resolves it (a file path)", () => {
    const options = { healing: { threshold: 0.9 } };
    expect(medicOptionsOf(config([['list', undefined], [reporterPath, options]]))).toBe(options);
    expect(medicOptionsOf(config([['playwright-medic/reporter', options]]))).toBe(options);
  });

  it('falls back to use.medic, then to the defaults', () => {
    const medic = { project: 'shop' };
    expect(medicOptionsOf(config([['list', undefined]], { medic }))).toBe(medic);
    expect(medicOptionsOf(config([['list', undefined]]))).toBeUndefined();
  });

  it('validates what it found', async () => {
    await expect(globalSetup(config([[reporterPath, { healing: { threshold: 3 } }]]))).rejects.toThrow(/healing\.threshold/);
    expect((await globalSetup(config([]))).store.kind).toBe('sqlite');
  });
});
