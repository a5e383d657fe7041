// Loader of the locator-relocation benchmark (Similo replication package format): reads each
// app file, validates it, and maps the Similo element properties onto our Fingerprint.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Candidate, Fingerprint } from '../src/healing/fingerprint.js';

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

/** One element as the Similo package stores it; every property optional. */
export const similoElementSchema = z
  .object({
    tag: z.string(),
    html_id: z.string(),
    name: z.string(),
    class: z.string(),
    type: z.string(),
    title: z.string(),
    placeholder: z.string(),
    value: z.string(),
    href: z.string(),
    alt: z.string(),
    text: z.string(),
    visible_text: z.string(),
    xpath: z.string(),
    idxpath: z.string(),
    x: num,
    y: num,
    width: num,
    height: num,
    area: num,
    shape: num,
    isButton: z.union([z.boolean(), z.enum(['yes', 'no', 'true', 'false']).transform((v) => v === 'yes' || v === 'true')]),
    neighbor_text: z.string(),
    neighbor_text_above: z.string(),
    neighbor_text_below: z.string(),
    neighbor_text_left: z.string(),
    neighbor_text_right: z.string(),
  })
  .partial()
  .loose();
export type SimiloElement = z.infer<typeof similoElementSchema>;

const appFileSchema = z.object({
  app: z.string().min(1),
  source: z.string().optional(),
  cases: z.array(
    z.object({
      id: z.string(),
      target: similoElementSchema,
      expected: z.string(),
      accept: z.array(z.string()).optional(),
    }),
  ),
  candidates: z.array(similoElementSchema.extend({ id: z.string() })),
});

/** One relocation case: the old element, the new page's candidates, and the answer. */
export type BenchCase = {
  id: string;
  app: string;
  target: Fingerprint;
  candidates: readonly Candidate[];
  /** Index (into `candidates`) of the same widget. */
  expected: number;
  /** Indexes counted right under the lenient rule (the expected one, its parent or child). */
  accept: readonly number[];
};

/** One app: its cases share the candidate list of the new page. */
export type BenchApp = { app: string; cases: BenchCase[] };

function present(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** Maps a Similo element onto a Fingerprint (fields absent in the source stay absent). */
export function toFingerprint(element: SimiloElement): Fingerprint {
  const fp: Fingerprint = {};
  const tag = present(element.tag);
  if (tag) fp.tag = tag.toLowerCase();
  const strings = [
    ['html_id', 'id'],
    ['name', 'name'],
    ['type', 'type'],
    ['title', 'title'],
    ['placeholder', 'placeholder'],
    ['value', 'value'],
    ['href', 'href'],
    ['alt', 'alt'],
    ['text', 'text'],
    ['visible_text', 'visibleText'],
    ['xpath', 'xpath'],
    ['idxpath', 'idXpath'],
  ] as const;
  for (const [from, to] of strings) {
    const value = present(element[from]);
    if (value !== undefined) fp[to] = value;
  }
  const classes = present(element.class)?.split(/\s+/).filter(Boolean);
  if (classes?.length) fp.classes = classes;
  const { x, y, width, height } = element;
  if (x !== undefined && y !== undefined && width !== undefined && height !== undefined) {
    fp.box = { x, y, width: Math.max(width, 0), height: Math.max(height, 0) };
  }
  if (element.isButton !== undefined) fp.isButton = element.isButton;
  const neighbors: NonNullable<Fingerprint['neighbors']> = {};
  const directions = [
    ['neighbor_text', 'any'],
    ['neighbor_text_above', 'above'],
    ['neighbor_text_below', 'below'],
    ['neighbor_text_left', 'left'],
    ['neighbor_text_right', 'right'],
  ] as const;
  for (const [from, to] of directions) {
    const value = present(element[from]);
    if (value !== undefined) neighbors[to] = value;
  }
  if (Object.keys(neighbors).length) fp.neighbors = neighbors;
  return fp;
}

/** Parses one app file's JSON into cases; throws with the file's problem if it is malformed. */
export function parseApp(json: unknown, label = 'benchmark file'): BenchApp {
  const parsed = appFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${label} is not a locator-relocation app file:\n${z.prettifyError(parsed.error)}`);
  const file = parsed.data;
  const position = new Map(file.candidates.map((c, i) => [c.id, i]));
  const candidates: Candidate[] = file.candidates.map((c, index) => ({ ...toFingerprint(c), index }));
  const indexOf = (id: string, caseId: string): number => {
    const i = position.get(id);
    if (i === undefined) throw new Error(`${label}: case ${caseId} names candidate ${id}, which the file does not list`);
    return i;
  };
  const cases = file.cases.map((c) => {
    const expected = indexOf(c.expected, c.id);
    const accept = [...new Set([expected, ...(c.accept ?? []).map((id) => indexOf(id, c.id))])];
    return { id: c.id, app: file.app, target: toFingerprint(c.target), candidates, expected, accept };
  });
  return { app: file.app, cases };
}

/** Reads every `*.json` of a folder, sorted by name. */
export function loadApps(dir: string): BenchApp[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no *.json files in ${dir}; pass --data <folder of app files>`);
  return files.map((f) => parseApp(JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown, join(dir, f)));
}
