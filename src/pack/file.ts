import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describeError, MedicPackError } from '../errors.js';
import type { Pack } from './schema.js';

const gzipped = (path: string) => path.endsWith('.gz');

/**
 * Writes a pack as JSON, gzip-compressed when the name ends in `.gz`; through a temporary file
 * renamed into place, so a reader never sees half a pack.
 * @example writePackFile('knowledge.json.gz', pack);
 */
export function writePackFile(path: string, pack: Pack): void {
  const json = Buffer.from(`${JSON.stringify(pack)}\n`);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, gzipped(path) ? gzipSync(json) : json);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new MedicPackError(`Cannot write the pack ${path}: ${describeError(error)}`, { fix: 'Choose a file in a writable folder.', cause: error });
  }
}

/**
 * Reads a pack file: JSON, gunzipped when the name ends in `.gz` (or the content is gzip).
 * Returns it unvalidated: importPack validates it.
 * @example const raw = readPackFile('knowledge.json.gz');
 */
export function readPackFile(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new MedicPackError(missing ? `There is no pack file ${path}.` : `Cannot read the pack ${path}: ${describeError(error)}`, {
      fix: missing ? 'Write one with `medic export <file>`, or check the path.' : 'Make the file readable by this user.',
      cause: error,
    });
  }
  let text: string;
  try {
    text = (gzipped(path) || (bytes[0] === 0x1f && bytes[1] === 0x8b) ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    throw new MedicPackError(`The pack ${path} is not a readable gzip file: ${describeError(error)}`, {
      fix: 'A name ending in .gz means gzip: rename a plain JSON pack, or export it again.',
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MedicPackError(`The pack ${path} is not JSON: ${describeError(error)}`, { fix: 'Import a file written by `medic export`, complete and unchanged.', cause: error });
  }
}
