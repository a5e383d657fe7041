import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { chromium } from '@playwright/test';
import { MedicBrowserError } from '../errors.js';

/** Flags a system Chromium needs in containers and closed networks (no sandbox as root, no GPU, no phoning home). */
export const SYSTEM_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where system packages put Chromium, most common first. */
export const SYSTEM_CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
];

export type ChromiumSource =
  | { kind: 'playwright'; executablePath: string }
  | { kind: 'env' | 'system'; executablePath: string };

/** True when Playwright's own Chromium (full or headless shell) is installed. */
export function playwrightChromiumInstalled(exists: (path: string) => boolean = existsSync): boolean {
  const full = chromium.executablePath();
  if (exists(full)) return true;
  // ~/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome → …/chromium_headless_shell-1255
  const revisionDir = dirname(dirname(full));
  const revision = basename(revisionDir).replace(/^chromium-/, '');
  const shellDir = join(dirname(revisionDir), `chromium_headless_shell-${revision}`);
  return exists(shellDir);
}

/**
 * Which Chromium to launch: Playwright's own when installed, else `MEDIC_CHROMIUM_PATH`,
 * else a system Chromium. Returns undefined when there is none.
 * @example findChromium() // { kind: 'system', executablePath: '/usr/bin/chromium' }
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): ChromiumSource | undefined {
  const fromEnv = env.MEDIC_CHROMIUM_PATH;
  if (fromEnv) {
    if (!exists(fromEnv)) {
      throw new MedicBrowserError(`MEDIC_CHROMIUM_PATH points at ${fromEnv}, which does not exist.`, {
        fix: 'Set MEDIC_CHROMIUM_PATH to a Chromium executable (e.g. /usr/bin/chromium) or unset it.',
      });
    }
    return { kind: 'env', executablePath: fromEnv };
  }
  if (playwrightChromiumInstalled(exists)) return { kind: 'playwright', executablePath: chromium.executablePath() };
  const system = SYSTEM_CHROMIUM_PATHS.find((path) => exists(path));
  return system ? { kind: 'system', executablePath: system } : undefined;
}

/**
 * Launch options for `use: { launchOptions }`: empty for Playwright's own Chromium, otherwise
 * the system executable with the flags it needs.
 * @example use: { launchOptions: chromiumLaunchOptions() }
 */
export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): {
  executablePath?: string;
  args?: string[];
} {
  const found = findChromium(env);
  if (!found || found.kind === 'playwright') return {};
  return { executablePath: found.executablePath, args: [...SYSTEM_CHROMIUM_ARGS] };
}
