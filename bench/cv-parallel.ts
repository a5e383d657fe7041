// The nested cross-validation of bench:heal on every core: each fold is independent, so worker
// threads take folds from a queue; the results are exactly crossValidate's, in the apps' order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FitOptions } from '../src/healing/fitRanker.js';
import type { FoldResult, Thresholds } from './evaluate.js';
import type { BenchApp } from './load.js';

export async function crossValidateInParallel(
  apps: readonly BenchApp[],
  options: FitOptions & { alsoAt?: Thresholds } = {},
  threads = Math.max(1, Math.min(apps.length, availableParallelism())),
): Promise<FoldResult[]> {
  const results = new Map<string, FoldResult>();
  const queue = apps.map((a) => a.app);
  const worker = () =>
    new Promise<void>((done, fail) => {
      // cv-worker.mjs registers tsx, so the worker runs the TypeScript sources as this process does.
      const w = new Worker(new URL('./cv-worker.mjs', import.meta.url), { workerData: { apps, options } });
      const next = () => {
        const app = queue.shift();
        if (app === undefined) void w.terminate().then(() => done());
        else w.postMessage(app);
      };
      w.on('message', (fold: FoldResult) => {
        results.set(fold.app, fold);
        next();
      });
      w.on('error', fail);
      w.once('online', next);
    });
  await Promise.all(Array.from({ length: threads }, worker));
  return apps.map((a) => results.get(a.app)!);
}
