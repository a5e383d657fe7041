import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { failedIn } from './judge.js';
import { refitModel, riskModelSchema, WEIGHTED_MODEL, type Refit, type RiskModel } from './model.js';

/** The name of the risk model among a project's stored models. */
export const RISK_MODEL = 'risk';
/** How many of the newest stored predictions a refit reads (about the last 20 runs of a 1,000-test suite). */
export const MAX_SAMPLES = 20_000;

/**
 * The project's current risk model: the fitted one kept in the store, else the weighted mean.
 * A stored model this version cannot read (another version's) counts as none.
 * @example const model = await loadRiskModel(store, 'shop');
 */
export async function loadRiskModel(store: KnowledgeStore, project: string): Promise<RiskModel> {
  const stored = await store.getModel(project, RISK_MODEL);
  const parsed = stored ? riskModelSchema.safeParse(stored.data) : undefined;
  return parsed?.success ? parsed.data : WEIGHTED_MODEL;
}

/**
 * After a run's predictions are stored: refits the risk model on the project's newest
 * predictions and keeps the refit only if it ranks the held-back runs better (`refitModel`).
 * @example const { reason } = await refitRiskModel(store, 'shop', new Date());
 */
export async function refitRiskModel(store: KnowledgeStore, project: string, now: Date): Promise<Refit> {
  const current = await loadRiskModel(store, project);
  const predictions = (await store.listPredictions({ project, limit: MAX_SAMPLES })).reverse().filter((p) => p.outcome !== 'skipped');
  const refit = refitModel(current, predictions.map((p) => ({ run: p.runId, at: p.at, values: p.factors, failed: failedIn(p) })), now);
  if (refit.replaced) await store.putModel({ project, name: RISK_MODEL, at: now.toISOString(), data: refit.model as unknown as Record<string, unknown> });
  return refit;
}
