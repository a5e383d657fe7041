import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory.js';
import { openBreakers, SharedBreakerOpenError, sharedBreaker, type BreakerBoard } from './breakerBoard.js';

const policy = (halfOpenAfter: number) => circuitBreaker(handleAll, { halfOpenAfter, breaker: new ConsecutiveBreaker(1) });
const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8000'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sharedBreaker', () => {
  it('publishes an opening, and another process skips the backend until it may be tried again', async () => {
    const board = new MemoryStore();
    const target = 'http://127.0.0.1:8000';
    const a = sharedBreaker(policy(300), { board, name: 'chroma', target, halfOpenAfterMs: 300 });
    await expect(a.execute(down)).rejects.toThrow(/ECONNREFUSED/);
    await a.flush();
    const [open] = await board.listBreakers();
    expect(open).toMatchObject({ name: 'chroma', target, state: 'open', reason: expect.stringContaining('ECONNREFUSED') });
    expect(Date.parse(open!.until) - Date.parse(open!.openedAt)).toBe(300);

    // Another process (its own breaker, closed): not called while the opening lasts.
    const b = sharedBreaker(policy(300), { board, name: 'chroma', target, halfOpenAfterMs: 300 });
    let calls = 0;
    const error = await b.execute(async () => ++calls).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SharedBreakerOpenError);
    expect((error as Error).message).toMatch(/the chroma at http:\/\/127\.0\.0\.1:8000 failed for .+ \(.*ECONNREFUSED.*\); not called until/);
    expect(calls).toBe(0);
    // Another backend is not affected.
    const other = sharedBreaker(policy(300), { board, name: 'chroma', target: 'http://127.0.0.1:8001', halfOpenAfterMs: 300 });
    expect(await other.execute(async () => 'called')).toBe('called');

    // Once it may be tried again, a call goes through; a call that works closes it for everyone.
    await sleep(1_050); // past the opening and the cached read
    expect(await b.execute(async () => ++calls)).toBe(1);
    expect(await a.execute(async () => 'back')).toBe('back');
    await a.flush();
    expect(await board.listBreakers()).toEqual([]);
  });

  it('works alone, with one warning, when the board fails', async () => {
    const failing: BreakerBoard = { putBreaker: () => Promise.reject(new Error('board down')), listBreakers: () => Promise.reject(new Error('board down')) };
    const warnings: string[] = [];
    const breaker = sharedBreaker(policy(60_000), { board: failing, name: 'embedder', target: 'x', halfOpenAfterMs: 60_000, warn: (m) => warnings.push(m) });
    expect(await breaker.execute(async () => 1)).toBe(1);
    await expect(breaker.execute(down)).rejects.toThrow(/ECONNREFUSED/);
    await breaker.flush();
    await expect(breaker.execute(async () => 1)).rejects.toThrow(/open/i); // its own breaker still opened
    expect(warnings).toEqual([expect.stringContaining('the embedder breaker cannot be shared through the store (board down)')]);
  });

  it('lists only valid openings not yet passed', () => {
    const now = Date.parse('2026-12-06T10:00:00.000Z');
    const state = { name: 'llm', target: 't', state: 'open', reason: '', openedAt: '2026-12-06T09:59:00.000Z', by: 'h/1' };
    expect(openBreakers([{ ...state, until: '2026-12-06T10:00:01.000Z' }, { ...state, target: 'u', until: '2026-12-06T10:00:00.000Z' }, { ...state, state: 'closed', until: '2026-12-06T11:00:00.000Z' }, { nonsense: true }], now)).toEqual([
      { ...state, until: '2026-12-06T10:00:01.000Z' },
    ]);
  });
});
