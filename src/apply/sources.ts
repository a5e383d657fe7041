import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { localImports } from '../risk/imports.js';

/** The sha256 of a file's text, hex. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The files a heal may be applied to — its spec and the spec's local imports (page objects,
 * helpers), paths relative to `rootDir` — with the sha256 of each as it is now: a heal keeps
 * them, and `medic apply` refuses a file whose text changed since. `cache` shares the import
 * graph between specs. Files that cannot be read are left out.
 * @example sourceHashes('/repo/e2e', 'cart.spec.ts') // { 'cart.spec.ts': '9f2c…', 'pages/CartPage.ts': '41ab…' }
 */
export function sourceHashes(rootDir: string, file: string, cache = new Map<string, string[]>()): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const path of [file, ...localImports(rootDir, file, cache)]) {
    try {
      hashes[path] = sha256(readFileSync(resolve(rootDir, path), 'utf8'));
    } catch {
      // deleted since the test ran: nothing to protect
    }
  }
  return hashes;
}
