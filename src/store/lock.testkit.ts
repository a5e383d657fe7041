import type { KnowledgeStore } from './KnowledgeStore.js';

/**
 * Runs four overlapping `exclusive('learn:shop')` sections on two stores of one place and says
 * how many were inside at once at most (1 when the lock holds).
 */
export async function mostHoldersAtOnce(a: Pick<KnowledgeStore, 'exclusive'>, b: Pick<KnowledgeStore, 'exclusive'>): Promise<number> {
  let inside = 0;
  let most = 0;
  const hold = (store: Pick<KnowledgeStore, 'exclusive'>) =>
    store.exclusive('learn:shop', async () => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 30));
      inside--;
    });
  await Promise.all([hold(a), hold(b), hold(a), hold(b)]);
  return most;
}
