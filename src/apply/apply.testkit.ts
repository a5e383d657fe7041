// Shared by the src/apply tests: inline source files rewritten as `medic apply` would.
import ts from 'typescript';
import { normalizeLinks, parseChain } from './chain.js';
import { applyEdits, mergeEdits } from './edits.js';
import { linksOf } from './evaluate.js';
import { openSourceProgram } from './program.js';
import { rewriteUse } from './rewrite.js';
import type { TypeScript } from './typescript.js';
import { sameLinks, type Link } from './values.js';

export const TS = ts as unknown as TypeScript; // the default export is the namespace
export const ROOT = '/project';

export const chain = (code: string): Link[] => {
  const links = parseChain(TS, code);
  if (!links) throw new Error(`not a chain: ${code}`);
  return links;
};

/** The program of `files` (relative path → text) under ROOT. */
export const programOf = (files: Record<string, string>) =>
  openSourceProgram(TS, new Map(Object.entries(files).map(([path, text]) => [`${ROOT}/${path}`, text])), (fileName) => fileName.slice(ROOT.length + 1));

/**
 * Every use of `from` in `files` rewritten to `to`: the files after (only those that changed),
 * the reasons for uses left alone, and how many uses there were.
 */
export function rewriteSources(files: Record<string, string>, from: string, to: string): { after: Record<string, string>; reasons: string[]; uses: number } {
  const program = programOf(files);
  const fromLinks = normalizeLinks(chain(from));
  const uses = Object.keys(files).flatMap((path) => program.useSitesOf(`${ROOT}/${path}`).filter((use) => sameLinks(fromLinks, normalizeLinks(linksOf(use.chain)))));
  const reasons: string[] = [];
  const edits = uses.flatMap((use) => {
    const rewrite = rewriteUse(program.rewrite, use, fromLinks, chain(to));
    if ('reason' in rewrite) reasons.push(rewrite.reason);
    return 'edits' in rewrite ? rewrite.edits : [];
  });
  const merged = mergeEdits(edits);
  if (merged.conflicts.length) throw new Error(`conflicting edits: ${JSON.stringify(merged.conflicts)}`);
  const after: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) {
    const own = merged.edits.filter((e) => e.file === `${ROOT}/${path}`);
    if (own.length) after[path] = applyEdits(text, own);
  }
  return { after, reasons, uses: uses.length };
}
