import { chromium } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { isMedicError } from '../errors.js';
import { findChromium } from './chromium.js';

const only = (...paths: string[]) => (path: string) => paths.includes(path);

describe('findChromium', () => {
  const playwrightPath = chromium.executablePath();
  const shellDir = playwrightPath.replace(/chromium-(\d+)\/.*$/, 'chromium_headless_shell-$1');

  it("prefers Playwright's own Chromium, full or headless shell", () => {
    expect(findChromium({}, only(playwrightPath, '/usr/bin/chromium'))).toEqual({ kind: 'playwright', executablePath: playwrightPath });
    expect(findChromium({}, only(shellDir, '/usr/bin/chromium'))?.kind).toBe('playwright');
  });

  it('falls back to a system Chromium, in order', () => {
    expect(findChromium({}, only('/usr/bin/chromium-browser', '/usr/bin/google-chrome'))).toEqual({
      kind: 'system',
      executablePath: '/usr/bin/chromium-browser',
    });
    expect(findChromium({}, only())).toBeUndefined();
  });

  it('lets MEDIC_CHROMIUM_PATH win, and refuses one that does not exist', () => {
    expect(findChromium({ MEDIC_CHROMIUM_PATH: '/opt/c/chrome' }, only('/opt/c/chrome', playwrightPath))).toEqual({
      kind: 'env',
      executablePath: '/opt/c/chrome',
    });
    let error: unknown;
    try {
      findChromium({ MEDIC_CHROMIUM_PATH: '/nope/chrome' }, only(playwrightPath));
    } catch (e) {
      error = e;
    }
    expect(isMedicError(error)).toBe(true);
    expect((error as Error).message).toMatch(/MEDIC_CHROMIUM_PATH points at \/nope\/chrome, which does not exist\.\nFix: /);
  });
});
