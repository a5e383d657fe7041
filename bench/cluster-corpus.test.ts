import { describe, expect, it } from 'vitest';
import { signError } from '../src/learning/signature.js';
import { loadClusterCorpus } from './cluster-corpus.js';

describe('the committed clustering corpus', () => {
  it('parses, and labels every failure of its runs with a fault, and no pass', () => {
    const corpus = loadClusterCorpus();
    const runs = new Set(corpus.runs.map((r) => r.id));
    expect(corpus.attempts.every((a) => runs.has(a.attempt.runId))).toBe(true);
    const failing = corpus.attempts.filter((a) => a.attempt.error && a.attempt.status !== a.attempt.expectedStatus);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.filter((a) => !a.fault)).toEqual([]);
    expect(corpus.attempts.filter((a) => a.attempt.status === 'passed' && a.fault)).toEqual([]);
    expect(new Set(failing.map((a) => a.fault)).size).toBeGreaterThan(1);
  });

  it('signs its errors as they were signed when captured (else capture it again: the signature changed)', () => {
    const changed = loadClusterCorpus().attempts.filter(({ attempt: { error } }) => error && signError(error).signature !== error.signature);
    expect(changed.map((a) => a.attempt.title)).toEqual([]);
  });
});
