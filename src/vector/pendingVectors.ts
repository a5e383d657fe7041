import { z } from 'zod';
import { describeError, isMedicConfigError } from '../errors.js';
import type { Spool, SpooledWrite } from '../resilience/spool.js';
import { chromaIndex } from './chromaIndex.js';
import { metadataSchema, type Metadata } from './records.js';
import type { VectorIndex } from './VectorIndex.js';

const itemSchema = z.object({ id: z.string().min(1), vector: z.array(z.number().finite()).min(1), metadata: metadataSchema.optional() }).strict();
/** Which server collection a kept write is for: enough to open it again (`medic sync`). */
export const vectorScopeSchema = z
  .object({
    url: z.string().min(1),
    prefix: z.string(),
    collection: z.string().min(1),
    embedder: z.object({ id: z.string().min(1), dimension: z.number().int().positive() }).strict(),
  })
  .strict();
export type VectorScope = z.infer<typeof vectorScopeSchema>;
const upsertArgs = z.tuple([z.array(itemSchema), vectorScopeSchema]);
const deleteArgs = z.tuple([z.array(z.string().min(1)), vectorScopeSchema]);
const anyArgs = z.tuple([z.unknown(), vectorScopeSchema]);

const TARGET_START = 'chroma vectors ';

/** The spool target of the writes a Chroma server missed: one per server collection (`location` names server and collection). */
export function vectorSpoolTarget(location: string): string {
  return `${TARGET_START}${location}`;
}

/** Whether a spool target holds writes for a vector server (not for a store). */
export function isVectorSpoolTarget(target: string): boolean {
  return target.startsWith(TARGET_START);
}

/** How many vector writes wait in the spool, for every server. */
export function vectorWritesWaiting(spool: Spool): number {
  return spool.targets().filter(isVectorSpoolTarget).reduce((n, t) => n + spool.count(t), 0);
}

/** The scope of the writes kept for a target (from its oldest write); undefined when none waits. */
export function spooledVectorScope(spool: Spool, target: string): VectorScope | undefined {
  const first = spool.pending(target, 1)[0];
  return first ? anyArgs.parse(first.args)[1] : undefined;
}

/** What a replay did: writes sent, writes still waiting (the server failed again, with `error`), writes refused (dropped, with the reason). */
export type VectorReplay = { applied: number; left: number; refused: string[]; error?: unknown };

/**
 * The writes a vector server (Chroma) could not take, kept in order in the local spool and
 * sent when it is back: the local index has every vector meanwhile, so nothing is lost, and an
 * upsert sent twice is the same vector, so nothing counts twice.
 * @example const pending = pendingVectors(spool, vectorSpoolTarget(index.location), scope); pending.keepUpsert(items);
 */
export function pendingVectors(spool: Spool, target: string, scope: VectorScope) {
  return {
    target,
    spoolPath: spool.path,
    /** Writes waiting for the server. */
    waiting: (): number => spool.count(target),
    keepUpsert(items: readonly { id: string; vector: ArrayLike<number>; metadata?: Metadata }[]): void {
      if (items.length) spool.append(target, 'putVectors', [items.map((i) => ({ id: i.id, vector: Array.from(i.vector), ...(i.metadata ? { metadata: i.metadata } : {}) })), scope]);
    },
    keepDelete(ids: readonly string[]): void {
      if (ids.length) spool.append(target, 'deleteVectors', [[...ids], scope]);
    },
    /**
     * Sends what waits, oldest first, to `server` (behind its breaker). Stops at
     * the first write the server fails (it waits for the next replay); a write it refuses as
     * malformed (changed outside playwright-medic) is dropped and named.
     */
    async replay(server: Pick<VectorIndex, 'upsert' | 'delete'>, isRefusal: (error: unknown) => boolean = () => false): Promise<VectorReplay> {
      const result: VectorReplay = { applied: 0, left: 0, refused: [] };
      const writes = spool.pending(target);
      for (let i = 0; i < writes.length; i++) {
        const write = writes[i]!;
        const send = sendOf(server, write);
        if (typeof send === 'string') {
          result.refused.push(`${write.method} (spooled ${write.at}): ${send}`); // changed outside playwright-medic
        } else {
          try {
            await send();
          } catch (error) {
            if (!isRefusal(error)) {
              result.left = writes.length - i;
              result.error = error;
              return result;
            }
            result.refused.push(`${write.method} (spooled ${write.at}): ${describeError(error)}`);
          }
        }
        spool.remove(write.seq);
        result.applied++;
      }
      return result;
    },
  };
}
export type PendingVectors = ReturnType<typeof pendingVectors>;

/** The call that sends a kept write to the server, or why it cannot be sent (not a vector write as they are kept). */
function sendOf(server: Pick<VectorIndex, 'upsert' | 'delete'>, write: SpooledWrite): (() => Promise<void>) | string {
  if (write.method === 'putVectors') {
    const parsed = upsertArgs.safeParse(write.args);
    return parsed.success ? () => server.upsert(parsed.data[0]) : parsed.error.message;
  }
  if (write.method === 'deleteVectors') {
    const parsed = deleteArgs.safeParse(write.args);
    return parsed.success ? () => server.delete(parsed.data[0]) : parsed.error.message;
  }
  return 'not a vector write';
}

/** What `medic sync` did for the configured Chroma: per server collection, and writes kept for other servers (left alone). */
export type ChromaSync = VectorReplay & { collections: number; elsewhere: number };

/**
 * Sends every write kept for the configured Chroma server (`vectors.url` and `prefix`), collection
 * by collection: `medic sync` and `medic doctor --fix`. Stops a collection at the first write the
 * server fails. Writes kept for another server or prefix are counted, not sent.
 * @example const synced = await replayChromaSpool(spool, { url: 'http://127.0.0.1:8000', prefix: 'medic-' });
 */
export async function replayChromaSpool(spool: Spool, vectors: { url: string; prefix: string }): Promise<ChromaSync> {
  const result: ChromaSync = { applied: 0, left: 0, refused: [], collections: 0, elsewhere: 0 };
  const origin = new URL(vectors.url).origin;
  for (const target of spool.targets().filter(isVectorSpoolTarget)) {
    const scope = spooledVectorScope(spool, target);
    if (!scope) continue;
    if (new URL(scope.url).origin !== origin || scope.prefix !== vectors.prefix) {
      result.elsewhere += spool.count(target);
      continue;
    }
    result.collections++;
    const sent = await pendingVectors(spool, target, scope).replay(chromaIndex(scope), isMedicConfigError);
    result.applied += sent.applied;
    result.left += sent.left;
    result.refused.push(...sent.refused);
    result.error ??= sent.error;
  }
  return result;
}
