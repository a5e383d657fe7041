import type { ChromaClient, Collection, Where as ChromaWhere } from 'chromadb';
import { z } from 'zod';
import { describeError, isMedicError, MedicConfigError, MedicError } from '../errors.js';
import type { Embedder } from './embedder.js';
import { whereSchema, type Metadata, type Where } from './records.js';
import type { VectorHit, VectorIndex } from './VectorIndex.js';

export const chromaUrlSchema = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL of a Chroma server, e.g. http://127.0.0.1:8000' });

export type ChromaIndexOptions = {
  /** The server, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** Our name of the collection (`failures`, `successes`). */
  collection: string;
  embedder: Pick<Embedder, 'id' | 'dimension'>;
  /** Put before every Chroma collection name, so one server can hold several stores. Default `medic-`. */
  prefix?: string;
};

/** A Chroma server failed or could not be reached. */
export class MedicVectorError extends MedicError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('MEDIC_VECTOR', message, options);
    this.name = 'MedicVectorError';
  }
}

/** A Chroma collection name (3–512 of `[a-zA-Z0-9._-]`, alphanumeric at both ends) for a collection of one embedder. */
export function chromaCollectionName(prefix: string, collection: string, embedderId: string): string {
  const name = `${prefix}${collection}-${embedderId}`.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '');
  return name.length >= 3 ? name.slice(0, 512) : `${name}000`.slice(0, 3);
}

/** Our filter in Chroma's form: equality per key, `$in` for a list, `$and` of several keys. */
export function chromaWhere(where: Where | undefined): ChromaWhere | undefined {
  if (!where) return undefined;
  const parts = Object.entries(whereSchema.parse(where)).map(([key, wanted]) => ({ [key]: Array.isArray(wanted) ? { $in: wanted } : { $eq: wanted } }) as ChromaWhere);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { $and: parts };
}

/** `url` checked by its schema (a ZodError that names what is wrong). */
const chromaUrl = (rawUrl: string) => new URL(chromaUrlSchema.parse(rawUrl));

/**
 * A client of the Chroma server at `url` (validated). The chromadb SDK is loaded here, on first
 * use: a suite without Chroma never loads it (every worker would pay for it otherwise).
 */
export async function chromaClient(rawUrl: string): Promise<{ client: ChromaClient; url: URL }> {
  const url = chromaUrl(rawUrl);
  const { ChromaClient } = await import('chromadb');
  return { client: new ChromaClient({ host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), ssl: url.protocol === 'https:' }), url };
}

/**
 * The `chroma` vector index: one Chroma collection per (collection, embedder), cosine space,
 * our embeddings (Chroma embeds nothing), metadata filters done by the server.
 * @example
 * const index = chromaIndex({ url: 'http://127.0.0.1:8000', collection: 'failures', embedder });
 * const near = await index.query(vector, { k: 3, where: { project: 'shop', category: 'timeout' } });
 */
export function chromaIndex(options: ChromaIndexOptions): VectorIndex & { readonly location: string; readonly origin: string } {
  const url = chromaUrl(options.url);
  const { collection, embedder } = options;
  const name = chromaCollectionName(options.prefix ?? 'medic-', collection, embedder.id);
  const location = `${url.origin} (collection ${name})`;
  let opened: Promise<Collection> | undefined;
  const open = () =>
    (opened ??= chromaClient(options.url)
      .then(({ client }) =>
        client.getOrCreateCollection({ name, embeddingFunction: null, configuration: { hnsw: { space: 'cosine' } }, metadata: { embedder: embedder.id, dimension: embedder.dimension } }),
      )
      .catch((error: unknown) => {
        opened = undefined; // the next call tries again
        throw error;
      }));
  const checkDimension = (vector: ArrayLike<number>, what: string) => {
    if (vector.length !== embedder.dimension) {
      throw new MedicConfigError(`A vector to ${what} has ${vector.length} dimensions; the ${collection} index of ${embedder.id} has ${embedder.dimension}.`, {
        fix: 'embed with the same embedder the index was opened with',
      });
    }
  };
  const call = async <T>(what: string, action: (c: Collection) => Promise<T>): Promise<T> => {
    try {
      return await action(await open());
    } catch (error) {
      if (isMedicError(error)) throw error;
      throw new MedicVectorError(`Chroma at ${location} could not ${what}: ${describeError(error)}`, {
        fix: 'Check that the Chroma server runs there (npm run chroma, or curl <url>/api/v2/heartbeat), or point vectors.url (MEDIC_CHROMA_URL) at one that does.',
        cause: error,
      });
    }
  };
  return {
    kind: 'chroma',
    location,
    origin: url.origin,
    async upsert(items) {
      if (items.length === 0) return;
      for (const item of items) checkDimension(item.vector, 'store');
      await call('store vectors', (c) =>
        c.upsert({
          ids: items.map((i) => i.id),
          embeddings: items.map((i) => Array.from(i.vector)),
          metadatas: items.map((i) => ({ ...(i.metadata ?? {}), _medic: 1 })), // Chroma wants no empty metadata
        }),
      );
    },
    async query(vector, queryOptions = {}) {
      checkDimension(vector, 'look up');
      const k = queryOptions.k ?? 10;
      if (!Number.isInteger(k) || k < 1) throw new MedicConfigError(`k must be a whole number ≥ 1, got ${String(k)}`, { fix: 'ask for k ≥ 1 neighbours' });
      const where = chromaWhere(queryOptions.where);
      const result = await call('look up vectors', (c) =>
        c.query({ queryEmbeddings: [Array.from(vector)], nResults: k, ...(where ? { where } : {}), include: ['metadatas', 'distances'] }),
      );
      const ids = result.ids[0] ?? [];
      return ids.map((id, i): VectorHit => {
        const { _medic: _, ...metadata } = (result.metadatas[0]?.[i] ?? {}) as Metadata;
        return { id, score: 1 - (result.distances[0]?.[i] ?? 1), metadata };
      });
    },
    async delete(ids) {
      if (ids.length === 0) return;
      await call('delete vectors', (c) => c.delete({ ids: [...ids] }));
    },
    async count(where) {
      const filter = chromaWhere(where);
      if (!filter) return call('count vectors', (c) => c.count());
      return call('count vectors', async (c) => (await c.get({ where: filter, include: [] })).ids.length);
    },
  };
}
