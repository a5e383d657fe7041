// A worker of bench/cv-parallel.ts: computes the folds it is sent, one message each.
import { parentPort, workerData } from 'node:worker_threads';
import { crossValidateFold, type Thresholds } from './evaluate.js';
import type { FitOptions } from '../src/healing/fitRanker.js';
import type { BenchApp } from './load.js';

const { apps, options } = workerData as { apps: BenchApp[]; options: FitOptions & { alsoAt?: Thresholds } };
parentPort!.on('message', (app: string) => parentPort!.postMessage(crossValidateFold(apps, app, options)));
