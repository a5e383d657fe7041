#!/usr/bin/env node
// Makes sure a Chromium exists before the demo or the tests start: Playwright's own, or a
// system one; tries `playwright install chromium`, then the system package manager (root on
// Debian/Ubuntu); otherwise stops with the exact command to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../dist/src/browser/chromium.js';

function found() {
  try {
    return findChromium();
  } catch (error) {
    console.error(`medic: ${error.message}`);
    process.exit(1);
  }
}

function run(command, args) {
  console.error(`medic: no Chromium found; trying: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: 10 * 60_000 });
  return result.status === 0;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let browser = found();
if (!browser) {
  // As root, --with-deps also installs the system libraries the browser needs to start.
  const cli = fileURLToPath(new URL('../node_modules/@playwright/test/cli.js', import.meta.url));
  run(process.execPath, [cli, 'install', ...(isRoot ? ['--with-deps'] : []), 'chromium']);
  browser = found();
}
if (!browser && isRoot && existsSync('/usr/bin/apt-get')) {
  run('apt-get', ['update', '-qq']);
  if (!run('apt-get', ['install', '-y', '-qq', 'chromium'])) run('apt-get', ['install', '-y', '-qq', 'chromium-browser']);
  browser = found();
}
if (!browser) {
  console.error(
    'medic: no Chromium is available and none could be installed.\n' +
      'Run one of:\n' +
      '  npx playwright install chromium        (Playwright\'s own build; needs internet)\n' +
      '  sudo apt-get install -y chromium       (Debian/Ubuntu system package)\n' +
      'or set MEDIC_CHROMIUM_PATH to a Chromium executable.',
  );
  process.exit(1);
}
console.log(`medic: using ${browser.kind === 'playwright' ? "Playwright's" : 'system'} Chromium at ${browser.executablePath}`);
