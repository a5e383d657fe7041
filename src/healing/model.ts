import { z } from 'zod';
import { MedicConfigError } from '../errors.js';
import { FEATURE_NAMES } from './rankFeatures.js';
import { GENERATED_MODEL } from './model.generated.js';

/**
 * The ranker's learned parameters. A candidate's score is Σ weight·feature / temperature, and
 * its confidence the softmax of the scores of all candidates plus an imaginary "absent"
 * candidate scored `absentScore` (one that shares nothing with the target).
 */
export const rankerModelSchema = z
  .object({
    kind: z.literal('medic-ranker'),
    version: z.literal(1),
    /** Feature names (see rankFeatures.ts); a name this build does not know is ignored. */
    features: z.array(z.string().min(1)),
    weights: z.array(z.number().finite()),
    /** Divides every score; fitted on out-of-fold scores so the softmax is calibrated. */
    temperature: z.number().positive().finite(),
    absentScore: z.number().finite(),
    /**
     * Share of the probability of the best candidate's direct parent and children credited to
     * it (they are the same widget; see family.ts); fitted on out-of-fold decisions. Absent: 0.
     */
    familyCredit: z.number().min(0).max(1).optional(),
    /** Default minimum confidence to heal, chosen by cross-validation. */
    threshold: z.number().min(0).max(1),
    /** Default minimum confidence gap between best and runner-up. */
    minMargin: z.number().min(0).max(1),
    /** How it was fitted, for the record. */
    training: z
      .object({
        method: z.string(),
        l2: z.number().nonnegative(),
        cases: z.number().int().nonnegative(),
        groups: z.array(z.string()),
        precisionTarget: z.number().min(0).max(1),
        /** Features whose weight was borrowed from an analogue (too little training evidence). */
        borrowed: z.record(z.string(), z.string()),
      })
      .partial()
      .optional(),
  })
  .refine((m) => m.features.length === m.weights.length, { message: 'features and weights must have the same length' });
export type RankerModel = z.infer<typeof rankerModelSchema>;

/** A model ready to score: one effective weight (weight / temperature) per known feature, in FEATURE_NAMES order. */
export type CompiledModel = { model: RankerModel; weights: Float64Array };

const compiled = new WeakMap<RankerModel, CompiledModel>();

/**
 * Validates a model (once per object) and aligns its weights with this build's features.
 * @example compileModel(DEFAULT_MODEL).weights.length === FEATURE_NAMES.length
 */
export function compileModel(model: RankerModel): CompiledModel {
  const cached = compiled.get(model);
  if (cached) return cached;
  const parsed = rankerModelSchema.safeParse(model);
  if (!parsed.success) {
    throw new MedicConfigError(`The healing ranker model is invalid:\n${z.prettifyError(parsed.error)}`, {
      fix: 'pass a model written by `npm run fit:heal`, or leave `model` unset to use the built-in one',
    });
  }
  const position = new Map(FEATURE_NAMES.map((name, i) => [name, i]));
  const weights = new Float64Array(FEATURE_NAMES.length);
  model.features.forEach((name, i) => {
    const at = position.get(name);
    if (at !== undefined) weights[at] = model.weights[i]! / model.temperature;
  });
  const result = { model, weights };
  compiled.set(model, result);
  return result;
}

/** The model fitted by `npm run fit:heal` and shipped with the package. */
export const DEFAULT_MODEL: RankerModel = GENERATED_MODEL;
