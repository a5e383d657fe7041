import { z } from 'zod';
import { fingerprintSchema, type Fingerprint } from './fingerprint.js';
import { looksGenerated, STATE_CLASS } from './locatorProposals.js';

/** How many members a set sample keeps: enough to find a few of them again when the page shows another subset. */
export const SET_SAMPLE_SIZE = 8;

/** What every member of a set has in common: the structure that defines the set, never its size. */
export const setShapeSchema = z.object({
  tag: z.string().optional(),
  /** Classes on every member (generated and state classes left out). */
  classes: z.array(z.string()),
  /** Test attributes with the same value on every member (`data-testid: product-card`). */
  testIds: z.record(z.string(), z.string()),
  role: z.string().optional(),
  /** The members' id-relative XPath with positions left out: `//*[@id='list']/li`, when they share it. */
  path: z.string().optional(),
});
export type SetShape = z.infer<typeof setShapeSchema>;

/**
 * A locator that resolved to many elements, as the catalog keeps it (DESIGN.md, "Lists and
 * chains"): how many it found and a sample of members (first, last and some between, in
 * document order), plus what they share.
 */
export const setSampleSchema = z.object({
  count: z.number().int().min(2),
  members: z.array(fingerprintSchema).min(1).max(SET_SAMPLE_SIZE),
  shared: setShapeSchema,
});
export type SetSample = z.infer<typeof setSampleSchema>;

/**
 * Which members of a set of `count` to sample: the first, the last and evenly spaced ones between.
 * @example sampleIndices(12, 4) // [0, 4, 7, 11]
 */
export function sampleIndices(count: number, size = SET_SAMPLE_SIZE): number[] {
  if (count <= size) return Array.from({ length: count }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < size; k++) out.add(Math.round((k * (count - 1)) / (size - 1)));
  return [...out].sort((a, b) => a - b);
}

/**
 * An XPath without its positions, so siblings share it.
 * @example structuralPath("//*[@id='list']/li[3]/h3[1]") // "//*[@id='list']/li/h3"
 */
export function structuralPath(xpath: string): string {
  return xpath.replace(/\[\d+\]/g, '');
}

/** The class names worth defining a set by. */
export function stableClasses(classes: readonly string[] | undefined): string[] {
  return (classes ?? []).filter((c) => !looksGenerated(c) && !STATE_CLASS.test(c));
}

const same = (values: (string | undefined)[]): string | undefined => (values.every((v) => v !== undefined && v === values[0]) ? values[0] : undefined);

/**
 * What the members share: tag, classes, test ids with one value, role and structural path.
 * @example shapeOf([{ tag: 'li', classes: ['card'] }, { tag: 'li', classes: ['card', 'sale'] }]) // { tag: 'li', classes: ['card'], testIds: {} }
 */
export function shapeOf(members: readonly Fingerprint[]): SetShape {
  if (members.length === 0) return { classes: [], testIds: {} };
  const [first, ...rest] = members;
  const classes = stableClasses(first!.classes).filter((c) => rest.every((m) => m.classes?.includes(c)));
  const testIds: Record<string, string> = {};
  for (const [attribute, value] of Object.entries(first!.testIds ?? {})) {
    if (rest.every((m) => m.testIds?.[attribute] === value)) testIds[attribute] = value;
  }
  const tag = same(members.map((m) => m.tag));
  const role = same(members.map((m) => m.role));
  const path = same(members.map((m) => (m.idXpath ?? m.xpath) && structuralPath((m.idXpath ?? m.xpath)!)));
  return { ...(tag ? { tag } : {}), classes, testIds, ...(role ? { role } : {}), ...(path ? { path } : {}) };
}

/**
 * The catalog's sample of a set from its sampled members' fingerprints (in document order).
 * @example setSample(12, fingerprints).shared.testIds // { 'data-testid': 'product-card' }
 */
export function setSample(count: number, members: readonly Fingerprint[]): SetSample {
  return setSampleSchema.parse({ count, members: members.slice(0, SET_SAMPLE_SIZE), shared: shapeOf(members) });
}

const memberKey = (m: Fingerprint) => `${m.xpath ?? ''}\u0000${m.visibleText ?? m.text ?? ''}`;

/**
 * Two samples of one set, the newer first: the newer's count, its members, then the older's
 * members it lacks (up to SET_SAMPLE_SIZE). A filtered list shows other members in other
 * tests; keeping those seen before gives relocation members to find whatever the page shows.
 * @example joinSamples(afterSearch, fullList).members.length // up to 8
 */
export function joinSamples(newer: SetSample, older: SetSample): SetSample {
  const seen = new Set(newer.members.map(memberKey));
  const added = older.members.filter((m) => !seen.has(memberKey(m)));
  if (added.length === 0 || newer.members.length >= SET_SAMPLE_SIZE) return newer;
  const members = [...newer.members, ...added].slice(0, SET_SAMPLE_SIZE);
  return { count: newer.count, members, shared: shapeOf(members) };
}
