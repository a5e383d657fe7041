import { mkdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { MedicStoreError } from '../errors.js';

/** How long a lock may be held before others take it over (its holder died), and how long to wait for one. */
export const LOCK_STALE_MS = 60_000;
export const LOCK_WAIT_MS = 120_000;
/** How often a held lock is renewed, and how often a waiter looks again. */
export const LOCK_RENEW_MS = 10_000;
export const LOCK_POLL_MS = 50;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function lockTimeout(name: string, location: string, waitedMs: number): MedicStoreError {
  return new MedicStoreError(`Waited ${Math.round(waitedMs / 1000)} s for the lock "${name}" of ${location}; another process holds it.`, {
    fix: `Let the other run finish; a lock whose holder died is taken over after ${LOCK_STALE_MS / 1000} s.`,
  });
}

/**
 * One action at a time per name, in this process (the memory store's lock, and the first
 * step of the others': a process never competes with itself).
 * @example const lock = processLock(); await lock('learn:shop', () => learn());
 */
export function processLock(): <T>(name: string, action: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, action: () => Promise<T>): Promise<T> => {
    const run = (tails.get(name) ?? Promise.resolve()).then(action, action);
    const tail = run.catch(() => undefined);
    tails.set(name, tail);
    void tail.then(() => tails.get(name) === tail && tails.delete(name));
    return run;
  };
}

/**
 * A lock shared by the processes of one machine: a folder made next to the store (mkdir is
 * atomic), renewed while held, taken over when its holder stopped renewing it.
 * @example await fileLock('/repo/.medic/medic.db.lock-learn', 'learn:shop', () => learn());
 */
export async function fileLock<T>(path: string, name: string, action: () => Promise<T>, location = path): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let age: number;
      try {
        age = Date.now() - statSync(path).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_STALE_MS) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) throw lockTimeout(name, location, Date.now() - started);
      await sleep(LOCK_POLL_MS);
    }
  }
  const renew = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // taken over: nothing to renew
    }
  }, LOCK_RENEW_MS);
  renew.unref();
  try {
    return await action();
  } finally {
    clearInterval(renew);
    rmSync(path, { recursive: true, force: true });
  }
}
