import { z } from 'zod';
import { compareText } from './learning.js';

/**
 * A fitted model kept per (project, name): the risk model refitted after each run, later the
 * healing thresholds learned from review. The store keeps one per key and knows nothing of
 * `data`: putting it again replaces it whole.
 */
export const modelRecordSchema = z
  .object({
    project: z.string().min(1),
    /** Which model: 'risk', … */
    name: z.string().min(1).max(100),
    /** When it was fitted. */
    at: z.iso.datetime(),
    /** The model itself: its owner validates it with its own schema when it reads it. */
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type ModelRecord = z.infer<typeof modelRecordSchema>;

/** Which models `listModels` returns (every field narrows), by project, then name. */
export const modelQuerySchema = z.object({ project: z.string().optional() }).strict();
export type ModelQuery = z.input<typeof modelQuerySchema>;

/** The key of a model: putting the same (project, name) again replaces it. */
export const modelKey = (m: Pick<ModelRecord, 'project' | 'name'>) => `${m.project}\u0000${m.name}`;

/**
 * The order of `listModels`: by project, then by name; a total order (the two make a model's
 * key), so every adapter lists alike.
 * @example models.sort(byModelKey)
 */
export function byModelKey(a: Pick<ModelRecord, 'project' | 'name'>, b: Pick<ModelRecord, 'project' | 'name'>): number {
  return compareText(a.project, b.project) || compareText(a.name, b.name);
}
