import { z } from 'zod';
import { MedicPackError } from '../errors.js';
import { selectorRecordSchema } from '../learning/catalog.js';
import { failurePatternSchema } from '../learning/failurePatterns.js';
import { healEventSchema } from '../learning/heals.js';
import { strategyExecutionSchema } from '../learning/strategies.js';
import { riskPredictionSchema } from '../risk/predictions.js';
import { modelRecordSchema } from '../store/models.js';
import { successPatternSchema } from '../learning/successPatterns.js';
import { attemptRecordSchema, runRecordSchema } from '../store/records.js';
import { vectorRecordSchema } from '../vector/records.js';

/** What a pack file says it is; anything else is refused. */
export const PACK_FORMAT = 'playwright-medic-pack';
/**
 * The layout of a pack. A reader imports exactly the versions it knows; a change that a reader
 * of this version would misread or refuse (a field renamed, a meaning changed, a kind added)
 * bumps it, so an older reader says "upgrade" instead of naming a field. 2: risk predictions
 * and fitted models (a version-2 pack may lack `models`: none).
 */
export const PACK_VERSION = 2;
/** The oldest version this reader still imports (a version-1 pack holds no predictions, nor models). */
const OLDEST_PACK_VERSION = 1;

/**
 * A knowledge pack: everything a store knows (or one project of it), each kind validated with
 * the schema the stores use. Every array is oldest first, the order it is written in, so a
 * store that imports it lists its records in the same order as the one that exported it.
 */
export const packSchema = z
  .object({
    format: z.literal(PACK_FORMAT),
    version: z.literal(PACK_VERSION),
    exportedAt: z.iso.datetime(),
    /** The store it was exported from (`sqlite`, `redis`, …, and its path or URL, password masked). */
    source: z.object({ kind: z.string().min(1), location: z.string() }).strict(),
    /** The projects its records belong to. */
    projects: z.array(z.string().min(1)),
    runs: z.array(runRecordSchema),
    attempts: z.array(attemptRecordSchema),
    selectors: z.array(selectorRecordSchema),
    heals: z.array(healEventSchema),
    failurePatterns: z.array(failurePatternSchema),
    successPatterns: z.array(successPatternSchema),
    strategyExecutions: z.array(strategyExecutionSchema),
    predictions: z.array(riskPredictionSchema),
    /** The fitted models of its projects. Came within version 2, before its release: a pack without them has none. */
    models: z.array(modelRecordSchema).default(() => []),
    vectors: z.array(vectorRecordSchema),
  })
  .strict();
export type Pack = z.infer<typeof packSchema>;

/** The kinds of records a pack holds, in the order an import writes them (runs before what refers to them). */
export const PACK_KINDS = ['runs', 'attempts', 'heals', 'selectors', 'failurePatterns', 'successPatterns', 'strategyExecutions', 'predictions', 'models', 'vectors'] as const;
export type PackKind = (typeof PACK_KINDS)[number];
export type PackCounts = Record<PackKind, number>;

/** How many records of each kind a pack holds. @example packCounts(pack).runs */
export function packCounts(pack: Pick<Pack, PackKind>): PackCounts {
  return Object.fromEntries(PACK_KINDS.map((kind) => [kind, pack[kind].length])) as PackCounts;
}

/** The fields that name a record of each kind in a message. */
const KEY_FIELDS: Record<PackKind, readonly string[]> = {
  runs: ['id', 'project'],
  attempts: ['runId', 'testId', 'retry'],
  heals: ['runId', 'id'],
  selectors: ['project', 'pageKey', 'selector'],
  failurePatterns: ['project', 'id'],
  successPatterns: ['project', 'id'],
  strategyExecutions: ['runId', 'strategy', 'at'],
  predictions: ['project', 'runId', 'testKey'],
  models: ['project', 'name'],
  vectors: ['collection', 'id'],
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `attempts[3] (runId "r1", testId "t2", retry 0)`: where a record is in the pack and what it is. */
export function recordLabel(kind: PackKind, index: number, raw: unknown): string {
  const keys = isRecord(raw) ? KEY_FIELDS[kind].filter((k) => typeof raw[k] === 'string' || typeof raw[k] === 'number').map((k) => `${k} ${JSON.stringify(raw[k])}`) : [];
  return `${kind}[${index}]${keys.length ? ` (${keys.join(', ')})` : ''}`;
}

const HAND_EDIT_FIX = 'Export the pack again with `medic export` (a pack edited by hand must keep every record’s fields and types), or remove that record from the file.';

function refused(where: string, detail: string, fix = HAND_EDIT_FIX): MedicPackError {
  return new MedicPackError(`The pack ${where} is refused: ${detail}. Nothing was imported.`, { fix });
}

/**
 * Validates a pack as read from a file: its format, its version, every record with its
 * schema, and that the records agree (projects listed, run ids unique). Pure. A pack of an
 * older version it reads comes back in this version's layout (a version-1 pack: no predictions, no models).
 * Throws MedicPackError naming the first bad record and what is wrong with it.
 * @example const pack = parsePack(JSON.parse(text), 'knowledge.json.gz');
 */
export function parsePack(value: unknown, where = '(in memory)'): Pack {
  if (!isRecord(value) || value.format !== PACK_FORMAT) {
    const what = isRecord(value) ? `its format is ${JSON.stringify(value.format)}, not "${PACK_FORMAT}"` : 'it is not a JSON object';
    throw refused(where, `it is not a playwright-medic knowledge pack (${what})`, 'Import a file written by `medic export`.');
  }
  const current = upgraded(value);
  if (current.version !== PACK_VERSION) {
    const newer = typeof current.version === 'number' && current.version > PACK_VERSION;
    throw refused(
      where,
      `it has version ${JSON.stringify(current.version)}; this playwright-medic reads versions ${OLDEST_PACK_VERSION} to ${PACK_VERSION}`,
      newer
        ? 'Upgrade playwright-medic where you import (npm install -D playwright-medic@latest), or export the pack with the version installed here.'
        : 'Export the pack again with `medic export`.',
    );
  }
  const parsed = packSchema.safeParse(current);
  if (!parsed.success) {
    const [issue, ...more] = parsed.error.issues;
    const [kind, index, ...field] = issue!.path;
    const at =
      typeof index === 'number' && PACK_KINDS.includes(kind as PackKind)
        ? `${recordLabel(kind as PackKind, index, (current[kind as PackKind] as unknown[])[index])} is invalid: ${field.length ? `${field.join('.')}: ` : ''}`
        : `${issue!.path.length ? `its ${issue!.path.join('.')}` : 'it'} is invalid: `;
    throw refused(where, `${at}${issue!.message}${more.length ? ` (and ${more.length} more problem${more.length > 1 ? 's' : ''})` : ''}`);
  }
  checkConsistent(parsed.data, where);
  return parsed.data;
}

/** A pack of an older version this reader imports, in the current layout (other versions as they are, to be refused). */
function upgraded(value: Record<string, unknown>): Record<string, unknown> {
  // 1 → 2: predictions came; a version-1 pack has none (nor models, which packSchema defaults to none).
  return value.version === OLDEST_PACK_VERSION ? { predictions: [], ...value, version: PACK_VERSION } : value;
}

/** The kinds whose records name their project (an attempt's is its run's; a vector's is in its metadata). */
const PROJECT_KINDS = ['runs', 'heals', 'selectors', 'failurePatterns', 'successPatterns', 'strategyExecutions', 'predictions', 'models'] as const;

/** What the schemas cannot say: every project listed, each run id once. */
function checkConsistent(pack: Pack, where: string): void {
  const projects = new Set(pack.projects);
  for (const kind of PROJECT_KINDS) {
    const index = pack[kind].findIndex((record) => !projects.has(record.project));
    if (index >= 0) throw refused(where, `${recordLabel(kind, index, pack[kind][index])} is of project ${JSON.stringify(pack[kind][index]!.project)}, which its "projects" do not list`);
  }
  const vector = pack.vectors.findIndex((v) => typeof v.metadata.project === 'string' && !projects.has(v.metadata.project));
  if (vector >= 0) throw refused(where, `${recordLabel('vectors', vector, pack.vectors[vector])} is of project ${JSON.stringify(pack.vectors[vector]!.metadata.project)}, which its "projects" do not list`);
  const first = new Map<string, number>();
  pack.runs.forEach((run, i) => {
    const before = first.get(run.id);
    if (before !== undefined) throw refused(where, `${recordLabel('runs', i, run)} has the id of runs[${before}]`);
    first.set(run.id, i);
  });
}

/** The projects a set of records belongs to, sorted (vectors by their metadata's `project`). */
export function projectsOf(pack: Pick<Pack, PackKind>): string[] {
  const projects = new Set<string>();
  for (const kind of PROJECT_KINDS) for (const record of pack[kind]) projects.add(record.project);
  for (const v of pack.vectors) if (typeof v.metadata.project === 'string') projects.add(v.metadata.project);
  return [...projects].sort();
}
