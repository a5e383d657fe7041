import type { MedicConfig } from '../config/schema.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { MedicVectorError } from '../vector/chromaIndex.js';
import { openVectorIndex } from '../vector/openIndex.js';
import type { VectorRecord } from '../vector/records.js';
import type { VectorIndex } from '../vector/VectorIndex.js';

type Group = { collection: string; embedder: string; dimension: number; records: VectorRecord[] };

/** Runs of consecutive records of one (collection, embedder, dimension), in order (pure): an index takes one embedder's vectors. */
export function vectorGroups(records: readonly VectorRecord[]): Group[] {
  const groups: Group[] = [];
  for (const record of records) {
    const last = groups.at(-1);
    if (last && last.collection === record.collection && last.embedder === record.embedder && last.dimension === record.vector.length) last.records.push(record);
    else groups.push({ collection: record.collection, embedder: record.embedder, dimension: record.vector.length, records: [record] });
  }
  return groups;
}

/**
 * Writes vectors through the vector index the config names (openVectorIndex): into the store
 * (the local index), and into Chroma too when `vectors.kind` is `chroma`. Where the local index
 * would quietly answer for a Chroma that is down, this fails: an import must say what it missed.
 * @example await importPack(store, raw, { writeVectors: indexWriter(config, store) });
 */
export function indexWriter(config: Pick<MedicConfig, 'vectors'>, store: KnowledgeStore): (records: VectorRecord[]) => Promise<void> {
  const indexes = new Map<string, VectorIndex>();
  let failure: string | undefined;
  // fallbackIndex warns once, with the server's error inside: `… unavailable (<error>\nFix: …); similar failures …`.
  const warn = (message: string) => {
    failure ??= (/unavailable \(([\s\S]*)\); similar/.exec(message)?.[1] ?? message).split('\nFix: ')[0];
  };
  return async (records) => {
    for (const group of vectorGroups(records)) {
      const key = `${group.collection}\u0000${group.embedder}\u0000${group.dimension}`;
      let index = indexes.get(key);
      if (!index) {
        index = openVectorIndex(config, store, group.collection, { id: group.embedder, dimension: group.dimension }, warn);
        indexes.set(key, index);
      }
      await index.upsert(group.records.map((r) => ({ id: r.id, vector: r.vector, metadata: r.metadata })));
      if (failure) {
        throw new MedicVectorError(`the vectors are in the store, but not in Chroma: ${failure}`, {
          fix: 'Start the Chroma server (npm run chroma), or point vectors.url (MEDIC_CHROMA_URL) at one that runs',
        });
      }
    }
  };
}
