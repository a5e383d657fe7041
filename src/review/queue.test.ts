import { describe, expect, it } from 'vitest';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { HealEvent } from '../learning/heals.js';
import { makeHeal } from '../store/contract.learning.testkit.js';
import { abbreviate, decidedState, decisionProblem, failureItemKey, healItemKey, resolveIds, reviewEntries, reviewItemSchema, reviewQueue } from './queue.js';

const BY_ROLE = { selector: 'internal:role=button[name="Save"i]', code: "getByRole('button', { name: 'Save' })" };
const at = (minute: number) => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;
const heal = (overrides: Partial<HealEvent>): HealEvent => makeHeal({ confidence: 0.99, ...overrides });

function pattern(overrides: Partial<FailurePattern> = {}): FailurePattern {
  return {
    id: 'fp-1', project: 'default', category: 'timeout', signatures: ['sig-a'], count: 3, firstSeen: at(0), lastSeen: at(5), runs: ['run-1', 'run-2'],
    tests: ['a.spec.ts › loads', 'b.spec.ts › pays'], features: ['a.spec.ts'], examples: ['Error: page.goto: Timeout 30000ms exceeded.\n  at …'], knownFixes: [], ...overrides,
  };
}

describe('reviewEntries', () => {
  it('groups every run’s heal of one locator to one other into one item, flagged by its most doubtful pending heal', () => {
    const heals = [
      heal({ runId: 'run-1', id: 'a#0#1', at: at(1), confidence: 0.86 }),
      heal({ runId: 'run-2', id: 'a#0#1', at: at(2), strategy: 'known_fix', confidence: 1, testKey: 'other test' }),
      heal({ runId: 'run-2', id: 'b#0#1', at: at(3), from: BY_ROLE, to: undefined, outcome: 'abstained', confidence: 0.5 }),
      heal({ runId: 'run-2', id: 'c#0#1', at: at(4), pageKey: '/other' }),
    ];
    const entries = reviewEntries(heals, [], { threshold: 0.84 });
    expect(entries.map((e) => [e.item.pageKey, e.item.outcome, e.item.seen, e.item.runs, e.item.why])).toEqual([
      ['/other', 'healed', 1, 1, undefined],
      ['/orders/:id', 'abstained', 1, 1, 'abstained: no candidate was safe, the step failed'],
      ['/orders/:id', 'healed', 2, 2, 'healed with low confidence (0.86, below 0.94)'],
    ]);
    const pair = entries[2]!.item;
    expect(pair).toMatchObject({ kind: 'heal', state: 'pending', test: 'other test', tests: 2, strategy: 'relocate', confidence: 0.86, runId: 'run-1', at: at(2) });
    expect(pair.key).toBe(healItemKey(heals[0]!));
    expect(pair.id).toBe(pair.key.slice(0, 7));
    for (const e of entries) expect(reviewItemSchema.parse(e.item)).toEqual(e.item);
    // The queue: what needs a human; --all: every pending item.
    expect(reviewQueue(entries).map((e) => e.item.outcome)).toEqual(['abstained', 'healed']);
    expect(reviewQueue(entries, { all: true })).toHaveLength(3);
    expect(reviewEntries(heals, [], { threshold: 0.8, margin: 0 })[2]!.item.why).toBeUndefined();
    // A model's heal waits for a human however confident.
    const byModel = heal({ runId: 'run-3', id: 'd#0#1', at: at(5), pageKey: '/llm', strategy: 'llm', llm: { model: 'small', cached: false, calls: [] } });
    expect(reviewEntries([byModel], [], { threshold: 0.84 })[0]!.item.why).toMatch(/healed by the LLM layer \(small\)/);
  });

  it('flags suggested and failed heals, and keeps a decision on a pair while its known fix keeps healing', () => {
    const flagged = reviewEntries([heal({ outcome: 'suggested' }), heal({ id: 'x', pageKey: '/b', outcome: 'failed' })], [], { threshold: 0.84 });
    expect(flagged.map((e) => e.item.why)).toEqual(['suggested (healing mode "suggest"): the step failed', 'healed, but the step still failed on the new locator']);
    const accepted = [heal({ review: 'accepted', at: at(1), confidence: 0.7 }), heal({ runId: 'run-2', at: at(2), strategy: 'known_fix', confidence: 1 })];
    const [entry] = reviewEntries(accepted, [], { threshold: 0.84 });
    expect(entry!.item).toMatchObject({ state: 'accepted', seen: 2 });
    expect(entry!.item.why).toBeUndefined();
    expect(reviewQueue([entry!], { all: true })).toEqual([]);
  });

  it('lists a dismissed abstention again when it recurs', () => {
    const dismissed = heal({ to: undefined, outcome: 'abstained', review: 'rejected', at: at(1) });
    expect(reviewEntries([dismissed], [], { threshold: 0.84 })[0]!.item.state).toBe('rejected');
    const again = heal({ runId: 'run-2', to: undefined, outcome: 'abstained', at: at(2) });
    expect(reviewEntries([dismissed, again], [], { threshold: 0.84 })[0]!.item).toMatchObject({ state: 'pending', why: expect.stringMatching(/^abstained/) });
  });

  it('makes items of failure patterns no fix ever worked for, decided until a new signature joins', () => {
    const fixed = pattern({ id: 'fp-2', knownFixes: [{ strategy: 'retry', successes: 1, tries: 1, lastAt: at(5) }] });
    const [entry, ...rest] = reviewEntries([], [pattern(), fixed], { threshold: 0.84 });
    expect(rest).toEqual([]);
    expect(entry!.item).toMatchObject({
      kind: 'failure', state: 'pending', why: 'no known fix: seen 3 times in 2 tests', test: 'b.spec.ts › pays', step: 'timeout',
      reason: 'Error: page.goto: Timeout 30000ms exceeded.', seen: 3, runs: 2, patternId: 'fp-1', key: failureItemKey(pattern()),
    });
    const dismissed = pattern({ review: { decision: 'dismissed', at: at(6), signature: 'sig-a' } });
    expect(reviewQueue(reviewEntries([], [dismissed], { threshold: 0.84 }))).toEqual([]);
    const changed = { ...dismissed, signatures: ['sig-a', 'sig-b'] };
    expect(reviewQueue(reviewEntries([], [changed], { threshold: 0.84 }))).toHaveLength(1);
  });
});

describe('IDs', () => {
  it('shows each key by its shortest prefix of at least 7 digits that no other shares', () => {
    const ids = abbreviate(['abcdef0123', 'abcdef0199', 'ffff000000', 'abcdef0123']);
    expect([...ids.values()]).toEqual(['abcdef012', 'abcdef019', 'ffff000']);
  });

  it('resolves unique prefixes, and says what is wrong with a bad, unknown or ambiguous ID', () => {
    const entries = reviewEntries([heal({}), heal({ id: 'x', pageKey: '/b' })], [pattern()], { threshold: 0.84 });
    const [first] = entries;
    const { found, problems } = resolveIds(entries, [first!.item.id.toUpperCase(), first!.item.key.slice(0, 12), 'zz', 'dead'.repeat(5)]);
    expect(found).toEqual([first]);
    expect(problems).toEqual([
      '"zz" is not a review ID: IDs are 4 to 40 hex digits, as medic review lists them',
      `no review item has the ID "${'dead'.repeat(5)}" (medic review --all lists the pending ones)`,
    ]);
    const twins = entries.map((e, i) => ({ ...e, item: { ...e.item, key: `abcd${i}${e.item.key}`, id: `abcd${i}` } }));
    expect(resolveIds(twins, ['abcd']).problems).toEqual(['the ID "abcd" is ambiguous: it starts abcd0, abcd1, abcd2; type more of it']);
  });

  it('names what a decision does, and refuses to accept an abstention', () => {
    const [abstention, failure] = reviewEntries([heal({ to: undefined, outcome: 'abstained', at: at(9) })], [pattern()], { threshold: 0.84 });
    expect(decisionProblem(abstention!, 'accept')).toMatch(/is an abstention .*there is no locator to accept; reject it to dismiss it/);
    expect(decisionProblem(abstention!, 'reject')).toBeUndefined();
    expect([decidedState(abstention!, 'reject'), decidedState(failure!, 'accept'), decidedState(failure!, 'reject')]).toEqual(['rejected', 'acknowledged', 'dismissed']);
  });
});
