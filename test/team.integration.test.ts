// A team's Chroma going away during a real `playwright test` run: the run learns into the local
// index with one warning, what Chroma missed waits in the spool, and `medic sync` sends it once
// Chroma is back. (Shards sharing one Redis and one Chroma: test/fixture.integration.test.ts runs
// the demo suite as 4 concurrent shards and compares what they learn with the unsharded run.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, writeInlineProject } from './helpers/inlineProject.js';
import { teamSuite } from './helpers/teamSuite.js';
import { findChroma, startChroma } from './helpers/chromaServer.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { chromaIndex } from '../src/vector/chromaIndex.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { localIndex } from '../src/vector/localIndex.js';

// Whether a Chroma server can be had here (in CI, none is a failure); the test starts its own to stop.
const chroma = await findChroma();
await chroma?.stop();

describe.skipIf(!chroma)('a run while Chroma is down', { timeout: 240_000 }, () => {
  it('learns into the local index with one warning; the vectors Chroma missed wait in the spool and medic sync sends them', async () => {
    const { 'ui.spec.ts': _browser, ...plain } = teamSuite(); // no browser needed: failures and successes to learn from
    const project = writeInlineProject(plain);
    const own = await startChroma(); // this test's own, to stop
    try {
      await own.halt!();
      const env = { MEDIC_CHROMA_URL: own.url };
      const run = await project.run([], env, {}, 150_000);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr.match(/medic: the chroma vector index is unavailable/g), run.stderr).toHaveLength(1);
      expect(run.stderr).toMatch(/Its writes wait in .*spool\.db and are sent when it is back \(next run, or npx medic sync\)/);
      expect(run.stderr).not.toMatch(/medic: could not/);

      await own.restart!();
      const sync = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'sync', '--json'], {
        cwd: project.dir,
        encoding: 'utf8',
        env: { ...process.env, ...env, MEDIC_STORE_KIND: '', MEDIC_STORE_PATH: '', MEDIC_REDIS_URL: '', MEDIC_VECTORS_KIND: '' },
      });
      expect(sync.status, sync.stdout + sync.stderr).toBe(0);
      const synced = JSON.parse(sync.stdout) as { vectors: { applied: number; left: number; refused: string[] } };
      expect(synced.vectors.applied).toBeGreaterThan(0);
      expect(synced.vectors).toMatchObject({ left: 0, refused: [] });

      // Chroma now holds what the local index holds, each vector once.
      const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db'), readonly: true });
      try {
        const embedder = hashingEmbedder();
        for (const collection of ['failures', 'successes']) {
          const local = await localIndex(store, collection, embedder).count({ project: 'shop' });
          expect(local, collection).toBeGreaterThan(0);
          expect(await chromaIndex({ url: own.url, collection, embedder }).count({ project: 'shop' }), collection).toBe(local);
        }
      } finally {
        await store.close();
      }
    } finally {
      await own.stop();
      project.remove();
    }
  });
});
