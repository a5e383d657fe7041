import { z } from 'zod';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import type { ChatMessage } from './client.js';
import { maskSecrets } from './secrets.js';
import { parseAnswer } from './strictJson.js';

// Locator repair by a model: the prompt that shows it the old element and the ranker's best
// candidates, and the strict reading of its answer. Pure: the orchestrator makes the call.

/** Collapsed, trimmed, anything like a secret masked, at most `max` characters (the last one an ellipsis when cut). */
const cap = (s: string | undefined, max: number) => {
  const t = maskSecrets((s ?? '').replace(/\s+/g, ' ').trim());
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
/** XPaths differ at their end, so a long one keeps its tail. */
const capTail = (s: string, max: number) => (s.length > max ? `…${s.slice(s.length - max + 1)}` : s);

/** The path of a URL: query and fragment often carry tokens, and a non-web URL shows its scheme only. */
function urlPath(url: string | undefined): string {
  if (!url) return '';
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http:' && scheme !== 'https:') return scheme;
  if (scheme || url.startsWith('//')) {
    try {
      return cap(new URL(url, 'http://medic.invalid').pathname, 80);
    } catch {
      return '';
    }
  }
  return cap(url.split(/[?#]/)[0], 80);
}

// Only these show a value a user reads as a label; any other value may be what someone typed.
const LABEL_VALUE_TYPES = new Set(['submit', 'button', 'reset', 'checkbox', 'radio']);

function shownValue(fp: Fingerprint): string | undefined {
  if (!fp.value) return undefined;
  const type = fp.type?.toLowerCase() ?? (fp.tag === 'button' ? 'submit' : undefined);
  return type && LABEL_VALUE_TYPES.has(type) ? cap(fp.value, 80) : '<masked>';
}

const ancestorStep = (a: NonNullable<Fingerprint['ancestors']>[number]) =>
  `${a.tag}${a.id ? `#${a.id}` : ''}${(a.classes ?? []).slice(0, 2).map((c) => `.${c}`).join('')}`;

const isEmpty = (v: unknown) =>
  v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/**
 * What a model needs to see of an element, small and without secrets: texts capped, typed
 * values masked (only button and checkbox values, which read as labels, are kept), URLs cut to
 * their path, three ancestors, the neighbours' texts; empty fields dropped.
 * @example compactElement({ tag: 'input', type: 'password', value: 'hunter2', label: 'Password' }) // { tag: 'input', label: 'Password', type: 'password', value: '<masked>' }
 */
export function compactElement(fp: Fingerprint): Record<string, unknown> {
  const text = cap(fp.text, 80);
  const visibleText = cap(fp.visibleText, 80);
  const neighbors = fp.neighbors ?? {};
  const directions = Object.fromEntries(
    (['above', 'below', 'left', 'right'] as const).map((d) => [d, cap(neighbors[d], 60)]).filter(([, t]) => t),
  );
  const out: Record<string, unknown> = {
    tag: fp.tag,
    id: fp.id,
    name: fp.name,
    classes: fp.classes?.slice(0, 8),
    text,
    visibleText: visibleText === text ? undefined : visibleText,
    accessibleName: cap(fp.accessibleName, 80),
    label: cap(fp.label, 80),
    placeholder: cap(fp.placeholder, 80),
    title: cap(fp.title, 80),
    alt: cap(fp.alt, 80),
    role: fp.role,
    type: fp.type,
    value: shownValue(fp),
    href: urlPath(fp.href),
    src: urlPath(fp.src),
    testIds: fp.testIds && Object.fromEntries(Object.entries(fp.testIds).map(([k, v]) => [k, cap(v, 80)])),
    xpath: capTail(fp.idXpath ?? fp.xpath ?? '', 120),
    ancestors: fp.ancestors?.slice(0, 3).map(ancestorStep),
    neighbors: Object.keys(directions).length ? directions : neighbors.any ? { any: cap(neighbors.any, 60) } : undefined,
    frames: fp.frames?.map((f) => (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(f) ? urlPath(f) : cap(f, 80))),
    shadowPath: fp.shadowPath,
    visible: fp.visible,
    box: fp.box && [fp.box.x, fp.box.y, fp.box.width, fp.box.height].map(Math.round),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => !isEmpty(v)));
}

/** The model's answer: the number of the shown candidate it picked, or null for none. */
export const repairAnswerSchema = z.object({ index: z.number().int().min(0).nullable(), reason: z.string().max(1000) }).strict();
export type RepairAnswer = z.infer<typeof repairAnswerSchema>;

/**
 * `repairAnswerSchema` as the JSON schema of the request's response format (strict mode: no
 * extra properties, every property required). A test keeps the two in step.
 * @example client.chat({ model, messages, schema: REPAIR_SCHEMA, maxTokens: 200 })
 */
export const REPAIR_SCHEMA = {
  name: 'locator_repair',
  schema: {
    type: 'object',
    properties: { index: { type: ['integer', 'null'] }, reason: { type: 'string' } },
    required: ['index', 'reason'],
    additionalProperties: false,
  },
} as const satisfies { name: string; schema: Record<string, unknown> };

const SYSTEM = [
  'You identify the same UI element across two versions of a web page.',
  'You are shown an element as it was when a test last found it, and numbered candidate elements of the changed page.',
  'Answer only with a JSON object {"index": number | null, "reason": string}: index is the number of the candidate that is the same element, or null when none clearly is; reason is one short sentence.',
  'Prefer null over a guess: a wrong element makes the test pass for the wrong reason.',
].join('\n');

export type RepairInput = { fingerprint: Fingerprint; step: string; locator: string; candidates: Candidate[] };

/**
 * The request for one repair: the failing step and locator, the old element and the first
 * `maxCandidates` candidates, fewer when the prompt would pass `maxChars` (the last ones go
 * first). The answer's index refers to `shown`.
 * @example const { messages, shown } = repairMessages({ fingerprint, step: 'click', locator: "page.getByRole('button')", candidates })
 */
export function repairMessages(
  input: RepairInput,
  limits: { maxCandidates?: number; maxChars?: number } = {},
): { messages: ChatMessage[]; shown: Candidate[] } {
  const { maxCandidates = 8, maxChars = 12_000 } = limits;
  const head = [
    `Failing step: ${cap(input.step, 200)}`,
    `Locator: ${cap(input.locator, 300)}`,
    '',
    'The element as it was when the locator last worked:',
    JSON.stringify(compactElement(input.fingerprint)),
    '',
    'Candidates on the changed page:',
  ];
  const lines = input.candidates.slice(0, maxCandidates).map((c, i) => `${i}: ${JSON.stringify(compactElement(c))}`);
  const tail = ['', 'Which candidate is the same element? Answer {"index": <candidate number or null>, "reason": "<one sentence>"}.'];
  const size = (n: number) => SYSTEM.length + [...head, ...lines.slice(0, n), ...tail].join('\n').length;
  let n = lines.length;
  while (n > 0 && size(n) > maxChars) n--;
  const user = [...head, ...(n ? lines.slice(0, n) : ['(none)']), ...tail].join('\n');
  return {
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
    ],
    shown: input.candidates.slice(0, n),
  };
}

/**
 * The model's answer read strictly: one JSON object matching `repairAnswerSchema` whose index
 * is one of the `shownCount` candidates. Never throws.
 * @example parseRepairAnswer('{"index": 7, "reason": "same label"}', 8) // { ok: true, index: 7, reason: 'same label' }
 */
export function parseRepairAnswer(text: string, shownCount: number): { ok: true; index: number | null; reason: string } | { ok: false; error: string } {
  const parsed = parseAnswer(text, repairAnswerSchema);
  if (!parsed.ok) return parsed;
  const { index, reason } = parsed.value;
  if (index !== null && index >= shownCount) return { ok: false, error: `index ${index} is not a candidate (${shownCount} shown)` };
  return { ok: true, index, reason };
}

// Input types that stand for the same control; a type not listed is its own family.
const INPUT_FAMILY: Record<string, string> = {
  ...Object.fromEntries(['text', 'email', 'search', 'tel', 'url'].map((t) => [t, 'text'])),
  ...Object.fromEntries(['number', 'range'].map((t) => [t, 'number'])),
  ...Object.fromEntries(['date', 'datetime-local', 'month', 'week', 'time'].map((t) => [t, 'date'])),
  ...Object.fromEntries(['submit', 'button', 'reset', 'image'].map((t) => [t, 'submit'])),
};
const inputType = (fp: Fingerprint) => fp.type?.toLowerCase() ?? 'text';
const NO_ROLE = new Set(['generic', 'none', 'presentation']);

function describe(fp: Fingerprint): string {
  const tag = fp.tag!.toLowerCase();
  return `${/^[aeiou]/.test(tag) ? 'an' : 'a'} <${tag}${tag === 'input' && fp.type ? ` type="${fp.type}"` : ''}>`;
}

function sameTag(old: Fingerprint, pick: Fingerprint): boolean {
  const [a, b] = [old.tag!.toLowerCase(), pick.tag!.toLowerCase()];
  if (a === b) return true;
  const pair = (x: string, y: string) => (a === x && b === y) || (a === y && b === x);
  if (pair('a', 'button')) return true;
  if (pair('button', 'input') && INPUT_FAMILY[inputType(a === 'input' ? old : pick)] === 'submit') return true;
  // Same widget under another tag: a <div role="button"> made a <button>, an <input> made a <textarea>.
  const role = old.role?.toLowerCase();
  return role !== undefined && !NO_ROLE.has(role) && role === pick.role?.toLowerCase();
}

/**
 * What a model's pick contradicts of the old element, as a sentence; undefined when nothing.
 * Two hard rules: the tag (when both are known) is the same, or one of the usual redesigns
 * (`<a>` ↔ `<button>`, `<button>` ↔ `<input type="submit|button|reset|image">`, or any two
 * tags with the same non-generic ARIA role); and two inputs of known types are of one family
 * (text-like, number-like, date-like, submit-like; any other type only matches itself, so a
 * password field is never taken for a text field). `isButton` is not checked apart: the tag
 * rule covers it, and a `<div role="button">` that became a `<button>` is a redesign.
 * @example contradiction({ tag: 'input', type: 'text' }, { tag: 'select' }) // 'the model picked a <select>, the element was an <input type="text">'
 */
export function contradiction(old: Fingerprint, pick: Fingerprint): string | undefined {
  if (!old.tag || !pick.tag) return undefined;
  const clash = `the model picked ${describe(pick)}, the element was ${describe(old)}`;
  if (!sameTag(old, pick)) return clash;
  if (old.tag.toLowerCase() !== 'input' || pick.tag.toLowerCase() !== 'input' || !old.type || !pick.type) return undefined;
  const family = (fp: Fingerprint) => INPUT_FAMILY[inputType(fp)] ?? inputType(fp);
  return family(old) === family(pick) ? undefined : clash;
}
