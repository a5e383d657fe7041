import { createHash } from 'node:crypto';
import { lastAttempts } from '../run/outcomes.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import type { Embedder } from '../vector/embedder.js';
import type { VectorIndex } from '../vector/VectorIndex.js';
import { featureOf } from './patternLearner.js';
import { mergeSuccess, successRate, successText, type SuccessPattern } from './successPatterns.js';

/** What the learner needs: the store, an embedder and the index of success pattern vectors (the "successes" collection). */
export type SuccessDeps = { store: KnowledgeStore; embedder: Embedder; index: VectorIndex };

/** The id of the success pattern of a feature in a project (what the learner looks up, so an imported pattern renamed to another project keeps learning). */
export const successId = (project: string, feature: string) => `sp-${createHash('sha1').update(`${project}\u0000${feature}`).digest('hex').slice(0, 12)}`;

/**
 * Learns from one recorded run what worked: each test's final result joins the success pattern
 * of its feature (a pass adds its steps, locators, assertion styles and time; a failure counts
 * against the success rate), and each touched pattern's vector is updated.
 * @returns the patterns the run touched
 */
export async function learnSuccesses(deps: SuccessDeps, runId: string): Promise<SuccessPattern[]> {
  const run = await deps.store.getRun(runId);
  if (!run) return [];
  const project = run.project;
  const patterns = new Map((await deps.store.listSuccessPatterns({ project })).map((p) => [p.id, p]));
  const touched = new Set<string>();
  for (const a of lastAttempts(await deps.store.listAttempts({ runId }))) {
    if (a.outcome === 'skipped' || a.status === 'interrupted') continue;
    const feature = featureOf(a);
    const id = successId(project, feature);
    const passed = a.outcome === 'expected' || a.outcome === 'flaky';
    patterns.set(id, mergeSuccess(patterns.get(id), { project, feature, testKey: a.testKey, passed, steps: a.steps, locators: a.locators, durationMs: a.durationMs, at: a.startedAt }, id));
    touched.add(id);
  }
  const out = [...touched].map((id) => patterns.get(id)!);
  if (out.length === 0) return [];
  // Embedded first: an embedder that fails leaves nothing half-learned (the run can be learned again).
  const vectors = await deps.embedder.embed(out.map(successText));
  await deps.store.putSuccessPatterns(out);
  await deps.index.upsert(out.map((p, i) => ({ id: p.id, vector: vectors[i]!, metadata: { project } })));
  return out;
}

/** A hit counts as relevant when its similarity is at least this share of the best hit's. */
const RELEVANT_BAND = 0.8;

export type SimilarSuccess = { pattern: SuccessPattern; similarity: number; successRate: number };

/**
 * The success patterns most like a query (`"test checkout"`, a test title, a locator): of the
 * `k` nearest, those about as similar as the nearest (`band` of its similarity, 0.8), the best
 * first, by success rate and then by how often they worked.
 * @example const [best] = await findSimilarSuccess(deps, 'shop', 'test checkout');
 */
export async function findSimilarSuccess(deps: SuccessDeps, project: string, query: string, options: { k?: number; band?: number } = {}): Promise<SimilarSuccess[]> {
  const k = options.k ?? 5;
  const band = options.band ?? RELEVANT_BAND;
  const [vector] = await deps.embedder.embed([query]);
  const nearest = await deps.index.query(vector!, { k, where: { project } });
  const best = nearest[0]?.score ?? 0;
  // As relevant as the best, give or take: a pattern of another feature does not win on its success rate.
  const hits = nearest.filter((h) => h.score > 0 && h.score >= best * band);
  const patterns = new Map((await deps.store.listSuccessPatterns({ project })).map((p) => [p.id, p]));
  return hits
    .flatMap((h) => {
      const pattern = patterns.get(h.id);
      return pattern && pattern.passes > 0 ? [{ pattern, similarity: h.score, successRate: successRate(pattern) }] : [];
    })
    .sort((a, b) => b.successRate - a.successRate || b.pattern.passes - a.pattern.passes || b.similarity - a.similarity);
}
