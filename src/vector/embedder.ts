import { z } from 'zod';
import { MedicConfigError } from '../errors.js';

/**
 * Turns texts into vectors for similarity search. Narrow on purpose: the `hashing` embedder
 * (offline, the default) and the OpenAI-compatible one of a later issue both fit it.
 */
export interface Embedder {
  /** Names the embedder and its settings: vectors of different ids are not comparable. */
  readonly id: string;
  readonly dimension: number;
  /** One vector per text, in order, each L2-normalised (a zero vector for a text with no features). */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

const hashingOptionsSchema = z
  .object({
    /** Vector length; a power of two keeps hashing uniform. */
    dimension: z.number().int().min(16).max(65536).default(1024),
    /** Character n-gram lengths taken inside each word. */
    ngrams: z.array(z.number().int().min(2).max(8)).default([3, 4]),
    /** Weight of a whole-word feature relative to one n-gram. */
    wordWeight: z.number().positive().default(2),
  })
  .strict();
export type HashingOptions = z.input<typeof hashingOptionsSchema>;

/** Scales a vector to length 1 in place (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** 32-bit FNV-1a: a fixed hash, so the same text gives the same vector on every machine. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The words of a text as the embedder sees them: lower case, camelCase split, every run of
 * digits one `0` (ids, ports, line numbers and timings vary between runs of the same failure),
 * hex-like ids and quoted spans kept as words.
 * @example words('TimeoutError: locator.click: Timeout 5000ms exceeded') // ['timeouterror', 'locator', 'click', 'timeout', '0ms', 'exceeded']
 */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\b[0-9a-f]{8,}\b/g, 'hexid')
    .replace(/\d+/g, '0')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The default embedder: feature hashing of words and character n-grams (signed, so collisions
 * cancel rather than add up), L2-normalised. Deterministic and offline; n-grams make it
 * forgiving of small changes (`button` / `buttons`, `#cart-count` / `#bag-count`).
 * @example const [v] = await hashingEmbedder().embed(['expect(locator).toHaveText failed']);
 */
export function hashingEmbedder(options: HashingOptions = {}): Embedder {
  const parsed = hashingOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new MedicConfigError(`The hashing embedder's options are invalid: ${z.prettifyError(parsed.error)}`, {
      fix: 'use { dimension: 16…65536, ngrams: [2…8, …], wordWeight: > 0 } or leave them out',
    });
  }
  const { dimension, ngrams, wordWeight } = parsed.data;
  const add = (v: Float32Array, feature: string, weight: number) => {
    const h = fnv1a(feature);
    v[h % dimension]! += h & 0x80000000 ? -weight : weight;
  };
  const one = (text: string): Float32Array => {
    const v = new Float32Array(dimension);
    for (const word of words(text)) {
      add(v, `w:${word}`, wordWeight);
      const padded = `<${word}>`;
      for (const n of ngrams) for (let i = 0; i + n <= padded.length; i++) add(v, `g:${padded.slice(i, i + n)}`, 1);
    }
    return normalize(v);
  };
  return {
    id: `hashing:${dimension}:${ngrams.join(',')}:${wordWeight}`,
    dimension,
    embed: async (texts) => texts.map(one),
  };
}
