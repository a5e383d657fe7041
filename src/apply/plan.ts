import { join } from 'node:path';
import { groupBy } from '../learning/groupBy.js';
import type { HealEvent } from '../learning/heals.js';
import type { AttemptRecord } from '../store/records.js';
import { normalizeLinks, parseChain } from './chain.js';
import { unifiedDiff } from './diff.js';
import { applyEdits, mergeEdits } from './edits.js';
import { linksOf } from './evaluate.js';
import { openSourceProgram } from './program.js';
import { lineOf, rewriteUse, type Edit } from './rewrite.js';
import { changeKey } from './select.js';
import { sha256 } from './sources.js';
import type { TypeScript } from './typescript.js';
import type { UseSite } from './useSites.js';
import { sameLinks, type Link } from './values.js';

/** What `medic apply` did (or would do) with one change: every heal event of the same old → new locator. */
export type ChangeReport = {
  from: string;
  to: string;
  /** Heal events behind it (tests and runs that healed the same way). */
  heals: number;
  /** `accepted` when any of them was accepted in review; else they were not reviewed. */
  review: 'accepted' | 'pending';
  status: 'applied' | 'partly applied' | 'already applied' | 'skipped';
  /** Where the code changed: `pages/CartPage.ts:11`. */
  places: string[];
  /** Why (some of) it was not applied: something to look at. */
  reasons: string[];
  /** Uses left alone on purpose (the locator still works there; a newer heal replaced this one). */
  notes: string[];
};

export type FileChange = { path: string; before: string; after: string; edits: Edit[]; diff: string };
export type ApplyPlan = { changes: ChangeReport[]; files: FileChange[] };

export type ApplyInput = {
  /** The heals to apply (see selectHeals), newest first or in any order. */
  heals: readonly HealEvent[];
  /** Every heal of the runs involved (any review, any outcome): a test that used a locator without a heal of it shows where it still works. */
  runHeals: readonly HealEvent[];
  /** The attempts of the runs involved: each heal's spec file, and which locators each test used. */
  attempts: readonly AttemptRecord[];
  /** The Playwright config's rootDir (attempt files are relative to it). */
  rootDir: string;
  /** A file's text (path relative to rootDir), undefined when it is not there. */
  read: (path: string) => string | undefined;
  /** A spec's local imports, relative to rootDir (src/risk/imports.ts `localImports`). */
  importsOf: (spec: string) => string[];
  /** Apply even to files changed since the heal was recorded, and heals recorded without file hashes. */
  force: boolean;
};

type Candidate = { heal: HealEvent; from: Link[]; to: Link[]; files: Set<string> };
type Applied = { use: UseSite; candidate: Candidate; edits: Edit[] };

const attemptKey = (a: Pick<AttemptRecord, 'runId' | 'testId' | 'retry'>) => `${a.runId}\0${a.testId}\0${a.retry}`;
const stripPage = (code: string) => code.replace(/^page\./, '');
const editKey = (e: Edit) => `${e.file}\0${e.start}\0${e.end}\0${e.text}`;

/**
 * Plans `medic apply`: finds each heal's old locator in its spec and the spec's local imports
 * (through variables, page-object fields, methods and helpers), and the smallest edits that make
 * the code build the new locator. A use is left alone, with the reason, when: the locator also
 * worked unchanged through that code in another test of the run; the newest heals disagree; the
 * change would fix a parameter's value; a file changed since the heal was recorded (unless
 * `force`); another change edits the same code differently. Reads files through `read` only.
 * @example planApply(ts, { heals, runHeals, attempts, rootDir, read, importsOf, force: false }).files
 */
export function planApply(ts: TypeScript, input: ApplyInput): ApplyPlan {
  const reports = new Map<string, ChangeReport>();
  /** Changes whose old locator was found where it needs rewriting (whatever came of it). */
  const found = new Set<ChangeReport>();
  const reportOf = (heal: HealEvent) => {
    const key = changeKey(heal);
    let report = reports.get(key);
    if (!report) {
      report = { from: heal.from.code, to: stripPage(heal.to!.code), heals: 0, review: 'pending', status: 'skipped', places: [], reasons: [], notes: [] };
      reports.set(key, report);
    }
    return report;
  };
  const reason = (report: ChangeReport, text: string, list: 'reasons' | 'notes' = 'reasons') => {
    if (!report[list].includes(text)) report[list].push(text);
  };

  const attempts = new Map(input.attempts.map((a) => [attemptKey(a), a]));
  const filesOf = new Map<string, string[]>();
  const texts = new Map<string, string>();
  const readFile = (path: string) => {
    if (!texts.has(path)) {
      const text = input.read(path);
      if (text !== undefined) texts.set(path, text);
    }
    return texts.get(path);
  };
  const specFiles = (spec: string): string[] | undefined => {
    if (readFile(spec) === undefined) return undefined;
    if (!filesOf.has(spec)) filesOf.set(spec, [spec, ...input.importsOf(spec)].filter((f) => readFile(f) !== undefined));
    return filesOf.get(spec);
  };

  const candidates: Candidate[] = [];
  for (const heal of input.heals) {
    const report = reportOf(heal);
    report.heals++;
    if (heal.review === 'accepted') report.review = 'accepted';
    const attempt = attempts.get(attemptKey(heal));
    const from = parseChain(ts, heal.from.code);
    const to = parseChain(ts, heal.to!.code);
    if (!attempt) reason(report, `the test of a heal (${heal.testKey}) has no attempt in the store, so its spec file is unknown`);
    else if (!from || !to) reason(report, 'it is not a chain of locator calls with literal arguments');
    else {
      const files = specFiles(attempt.file);
      if (!files) reason(report, `${attempt.file} is not in ${input.rootDir} (pass --root-dir <the Playwright config's rootDir, its testDir when set>)`);
      else {
        candidates.push({ heal, from: normalizeLinks(from), to: normalizeLinks(to), files: new Set(files) });
      }
    }
  }

  // The tests of the same runs that used an old locator without a heal of it: where it still works.
  const healedIn = new Set(input.runHeals.map((h) => `${attemptKey(h)}\0${h.from.selector}`));
  const runs = new Set(candidates.map((c) => c.heal.runId));
  const witnesses = input.attempts.filter((a) => runs.has(a.runId) && a.locators.length && specFiles(a.file));
  const usedLinks = new Map<string, Link[] | undefined>();
  const linksOfCode = (code: string) => {
    if (!usedLinks.has(code)) {
      const links = parseChain(ts, code);
      usedLinks.set(code, links && normalizeLinks(links));
    }
    return usedLinks.get(code);
  };

  const absolute = (path: string) => join(input.rootDir, path);
  const relativeOf = new Map<string, string>([...texts.keys()].map((path) => [absolute(path), path]));
  const label = (fileName: string) => relativeOf.get(fileName) ?? fileName;
  const program = openSourceProgram(ts, new Map([...texts].map(([path, text]) => [absolute(path), text])), label);
  const usesOf = (files: Iterable<string>, links: readonly Link[]) =>
    [...files].flatMap((file) => program.useSitesOf(absolute(file)).filter((use) => sameLinks(links, normalizeLinks(linksOf(use.chain)))));
  /** Where a use's chain starts being written (for messages about the code, not this one use of it). */
  const home = (use: UseSite) => lineOf(label, use.chain.links[0]!.site.call);
  const keyOf = (use: UseSite) => use.chain.links.map((l) => `${l.site.file.fileName}:${l.site.call.pos}`).join('|');
  const placeOf = (edit: Edit) => {
    const file = program.files.get(edit.file)!;
    return `${label(edit.file)}:${file.getLineAndCharacterOfPosition(edit.start).line + 1}`;
  };

  const applied: Applied[] = [];
  /** Changes already in the code: the new locator is there and the old one only where it still works. */
  const done = new Set<ChangeReport>();
  const bySelector = groupBy(candidates, (c) => c.heal.from.selector);
  for (const [selector, group] of bySelector) {
    const from = group[0]!.from;
    const allFiles = new Set(group.flatMap((c) => [...c.files]));
    const uses = usesOf(allFiles, from);
    // A use is cleared when a test of the same run used the locator without healing it, and that use is the only code of it the test could reach.
    const cleared = new Map<string, AttemptRecord>();
    for (const witness of witnesses) {
      if (healedIn.has(`${attemptKey(witness)}\0${selector}`) || !witness.locators.some((code) => sameLinks(from, linksOfCode(code) ?? []))) continue;
      const keys = new Set(usesOf(specFiles(witness.file)!, from).map(keyOf));
      if (keys.size === 1) cleared.set([...keys][0]!, witness);
    }
    for (const use of uses) {
      const useFile = label(use.node.getSourceFile().fileName);
      const reaching = group.filter((c) => c.files.has(useFile));
      if (!reaching.length) continue;
      const chosen = reaching.reduce((a, b) => (b.heal.at > a.heal.at ? b : a));
      const report = reportOf(chosen.heal);
      const witness = cleared.get(keyOf(use));
      if (witness) {
        reason(report, `left at ${home(use)}: "${witness.title}" (${witness.file}) used the same locator there unchanged in the same run`, 'notes');
        continue;
      }
      for (const older of reaching) {
        if (older.heal.runId !== chosen.heal.runId && older.heal.to!.selector !== chosen.heal.to!.selector) {
          reason(reportOf(older.heal), `superseded at ${home(use)} by a newer heal to ${stripPage(chosen.heal.to!.code)}`, 'notes');
        }
      }
      const rivals = reaching.filter((c) => c.heal.runId === chosen.heal.runId && c.heal.to!.selector !== chosen.heal.to!.selector);
      for (const c of [chosen, ...rivals]) found.add(reportOf(c.heal));
      if (rivals.length) {
        const tos = [chosen, ...rivals].map((x) => stripPage(x.heal.to!.code));
        for (const c of [chosen, ...rivals]) reason(reportOf(c.heal), `heals of the same run disagree on ${home(use)}: ${[...new Set(tos)].join(' or ')}`);
        continue;
      }
      const rewrite = rewriteUse(program.rewrite, use, from, chosen.to);
      if ('reason' in rewrite) reason(report, `not rewritten at ${lineOf(label, use.node)}: ${rewrite.reason}`);
      else applied.push({ use, candidate: chosen, edits: rewrite.edits });
    }
    for (const candidate of group) {
      const report = reportOf(candidate.heal);
      if (found.has(report)) continue;
      if (usesOf(candidate.files, candidate.to).length) done.add(report);
      else if (!uses.some((use) => candidate.files.has(label(use.node.getSourceFile().fileName)))) {
        reason(report, `could not find ${candidate.heal.from.code} in ${[...candidate.files].join(', ')}`);
      }
    }
  }

  const refuse = (a: Applied, why: string) => reason(reportOf(a.candidate.heal), why);
  const active = withoutConflicts(input.force ? applied : unchangedSince(applied, (path) => sha256(texts.get(path)!), label, refuse), home, refuse);
  const { edits } = mergeEdits(active.flatMap((a) => a.edits));
  for (const a of active) {
    const report = reportOf(a.candidate.heal);
    for (const edit of a.edits) if (!report.places.includes(placeOf(edit))) report.places.push(placeOf(edit));
  }
  const files: FileChange[] = [];
  for (const [fileName, fileEdits] of groupBy(edits, (e) => e.file)) {
    const path = label(fileName);
    const before = texts.get(path)!;
    files.push({ path, before, after: applyEdits(before, fileEdits), edits: fileEdits, diff: unifiedDiff(path, before, fileEdits) });
  }
  const changes = [...reports.values()].map((report) => {
    if (report.places.length) report.status = report.reasons.length ? 'partly applied' : 'applied';
    else if (done.has(report) && !found.has(report)) {
      report.status = 'already applied';
      report.reasons = [];
    }
    report.places.sort();
    return report;
  });
  return { changes: changes.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)), files: files.sort((a, b) => a.path.localeCompare(b.path)) };
}

/** The uses whose edited files are as they were when their heal was recorded; the others are refused with the reason. */
function unchangedSince(applied: Applied[], hashOf: (path: string) => string, label: (fileName: string) => string, refuse: (a: Applied, why: string) => void): Applied[] {
  return applied.filter((a) => {
    const { heal } = a.candidate;
    if (!heal.sources) {
      refuse(a, 'its heal was recorded before heals kept the hashes of their files, so a change since cannot be ruled out (pass --force to apply it anyway)');
      return false;
    }
    const changed = [...new Set(a.edits.map((e) => label(e.file)))].find((file) => heal.sources![file] !== hashOf(file));
    if (changed) refuse(a, `${changed} changed since the heal was recorded (${heal.at}): run the tests again to heal on the new code, or pass --force`);
    return !changed;
  });
}

/** The uses without an edit that another change makes differently; both sides of a conflict are refused. */
function withoutConflicts(applied: Applied[], home: (use: UseSite) => string, refuse: (a: Applied, why: string) => void): Applied[] {
  let active = applied;
  for (;;) {
    const { conflicts } = mergeEdits(active.flatMap((a) => a.edits));
    if (!conflicts.length) return active;
    const bad = new Set(conflicts.flat().map(editKey));
    const losers = active.filter((a) => a.edits.some((e) => bad.has(editKey(e))));
    for (const loser of losers) {
      const others = losers.filter((l) => changeKey(l.candidate.heal) !== changeKey(loser.candidate.heal)).map((l) => `${l.candidate.heal.from.code} → ${stripPage(l.candidate.heal.to!.code)}`);
      refuse(loser, `not rewritten at ${home(loser.use)}: another change edits the same code differently${others.length ? ` (${[...new Set(others)].join('; ')})` : ''}`);
    }
    active = active.filter((a) => !losers.includes(a));
  }
}
