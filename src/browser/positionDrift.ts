import type { Locator } from '@playwright/test';
import type { Candidate, Fingerprint } from '../healing/fingerprint.js';
import { rankCandidates, type RankOptions } from '../healing/rank.js';
import { SET_SAMPLE_SIZE } from '../healing/setFingerprint.js';
import { captureResolved } from './capture.js';

/** Where a locator that picks by position looks: its list's selector and the position (negative: from the end). */
export type Position = { list: string; nth: number };

/** A selector that picks by position (`.nth(i)`, `.first()`, `.last()`): the list and the position. */
export function positionOf(selector: string): Position | undefined {
  const match = /^(.+) >> nth=(-?\d+)$/.exec(selector);
  return match ? { list: match[1]!, nth: Number(match[2]) } : undefined;
}

export type Drift = { was: number; now: number; text: string | undefined; found: string | undefined };

/**
 * Whether a locator that picks by position (`positionOf` its selector) now finds another element than the one the catalog
 * knows: the stored fingerprint is ranked among the list's members, and drift is when it heals
 * to a member at another position. A position is what the test wrote, so nothing is changed; the
 * caller says so, which turns a silent wrong element into a lead when the test fails later.
 * @returns undefined when the position still holds the element, or nothing can be said
 */
export async function positionDrift(locator: Locator, position: Position, stored: Fingerprint, rankOptions: RankOptions): Promise<Drift | undefined> {
  // One page call: a list of up to SET_SAMPLE_SIZE members comes back whole (a longer one is
  // sampled, and a sample may miss the position: not checked).
  const { count, set } = await captureResolved(locator.page().locator(position.list));
  const was = position.nth < 0 ? count + position.nth : position.nth;
  if (!set || count > SET_SAMPLE_SIZE || was < 0 || was >= count) return undefined;
  const members: Candidate[] = set.members.map((m, index) => ({ ...m, index }));
  const rank = rankCandidates(stored, members, rankOptions);
  if (rank.decision !== 'heal' || rank.best!.index === was) return undefined;
  const say = (fp: Fingerprint | undefined) => fp?.label ?? fp?.accessibleName ?? fp?.text ?? fp?.visibleText;
  return { was, now: rank.best!.index, text: say(stored), found: say(members[was]) };
}

/** What a drift means for the person reading the test's output. */
export function driftNotice(code: string, drift: Drift): string {
  const quote = (text: string | undefined) => (text ? JSON.stringify(text) : 'an element');
  return (
    `${code} picks by position, and that position now holds another element: ${quote(drift.found)} where it found ${quote(drift.text)} before, ` +
    `which is now at nth(${drift.now}). playwright-medic does not change what a position picks; if the test means that element, write a locator for it (its label, its text).`
  );
}
