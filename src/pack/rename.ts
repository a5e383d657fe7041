import { createHash } from 'node:crypto';
import { MedicPackError } from '../errors.js';
import { VECTOR_COLLECTIONS } from '../learning/collections.js';
import { patternId } from '../learning/patternLearner.js';
import { successId } from '../learning/successLearner.js';
import type { Pack } from './schema.js';

/**
 * The id of a run copied into project `as`: a UUID derived from both, so the same pack imported
 * twice under one name gives the same ids, and a store may hold the original and the copy.
 * @example renamedRunId('shop-v2', 'aaaa1111-old') // '3f0c…-…'
 */
export function renamedRunId(as: string, runId: string): string {
  const h = createHash('sha1').update(`${as}\u0000${runId}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The pack's knowledge as project `as`'s (pure): every `project` field and every vector's
 * metadata `project` renamed; run ids and pattern ids derived again from the new name (the ids
 * the learners of `as` compute, so its next runs merge into the copies, and copying a project
 * within one store overwrites nothing of the original). A Playwright project (`projectName`
 * of an attempt) is another thing and is kept. Refuses a pack of several projects.
 * @example const copy = renamePack(pack, 'shop-v2');
 */
export function renamePack(pack: Pack, as: string): Pack {
  if (as.trim() === '') throw new MedicPackError('--as needs the name of a project.', { fix: 'Pass --as <project name>, e.g. --as shop-v2.' });
  if (pack.projects.length > 1) {
    throw new MedicPackError(`The pack holds ${pack.projects.length} projects (${pack.projects.join(', ')}); --as renames one. Nothing was imported.`, {
      fix: 'Export one project (medic export <file> --project <name>) and import that file with --as.',
    });
  }
  const from = pack.projects[0];
  if (from === undefined || from === as) return pack;
  const run = (id: string) => renamedRunId(as, id);
  const failureIds = new Map(pack.failurePatterns.map((p) => [p.id, patternId(as, p.signatures[0]!)]));
  const successIds = new Map(pack.successPatterns.map((p) => [p.id, successId(as, p.feature)]));
  const vectorIds: Record<string, Map<string, string> | undefined> = { [VECTOR_COLLECTIONS.failures]: failureIds, [VECTOR_COLLECTIONS.successes]: successIds };
  return {
    ...pack,
    projects: [as],
    runs: pack.runs.map((r) => ({ ...r, id: run(r.id), project: as })),
    attempts: pack.attempts.map((a) => ({ ...a, runId: run(a.runId) })),
    heals: pack.heals.map((h) => ({ ...h, project: as, runId: run(h.runId) })),
    selectors: pack.selectors.map((s) => ({ ...s, project: as })),
    failurePatterns: pack.failurePatterns.map((p) => ({ ...p, project: as, id: failureIds.get(p.id)!, runs: p.runs.map(run) })),
    successPatterns: pack.successPatterns.map((p) => ({ ...p, project: as, id: successIds.get(p.id)! })),
    strategyExecutions: pack.strategyExecutions.map((e) => ({ ...e, project: as, runId: run(e.runId) })),
    predictions: pack.predictions.map((p) => ({ ...p, project: as, runId: run(p.runId) })),
    // A model's data is its owner's: kept as it is.
    models: pack.models.map((m) => ({ ...m, project: as })),
    vectors: pack.vectors.map((v) => {
      if (v.metadata.project !== from) return v; // not the project's: shared as it is
      // A vector without its pattern in the pack still needs an id apart from the original's.
      const id = vectorIds[v.collection]?.get(v.id) ?? `${v.id}@${as}`;
      return { ...v, id, metadata: { ...v.metadata, project: as } };
    }),
  };
}
