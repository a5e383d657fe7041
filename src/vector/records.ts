import { z } from 'zod';

/** Metadata values a filter can match (Chroma's own kinds, so its index of a later issue fits). */
export const metadataSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type Metadata = z.infer<typeof metadataSchema>;

/** One stored vector of a collection ("failures", "successes"). */
export const vectorRecordSchema = z
  .object({
    collection: z.string().min(1),
    id: z.string().min(1),
    /** The `Embedder.id` that made it: vectors of other embedders are not compared with it. */
    embedder: z.string().min(1),
    vector: z.array(z.number().finite()).min(1),
    metadata: metadataSchema.default({}),
  })
  .strict();
export type VectorRecord = z.infer<typeof vectorRecordSchema>;
export type VectorRecordInput = z.input<typeof vectorRecordSchema>;

/** Equality per key; an array means any of its values. */
export const whereSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)]));
export type Where = z.infer<typeof whereSchema>;

export const vectorQuerySchema = z
  .object({
    collection: z.string().min(1),
    embedder: z.string().min(1).optional(),
    where: whereSchema.optional(),
  })
  .strict();
export type VectorQuery = z.infer<typeof vectorQuerySchema>;

/** Whether a record's metadata passes a filter. */
export function matchesWhere(metadata: Metadata, where: Where | undefined): boolean {
  if (!where) return true;
  return Object.entries(where).every(([key, wanted]) => {
    const value = metadata[key];
    return Array.isArray(wanted) ? value !== undefined && wanted.includes(value) : value === wanted;
  });
}
