// `npx tsx bench/prefilter.ts --data <dir>`: how much the relocation prefilter
// (src/healing/prefilter.ts) loses on the locator-relocation benchmark. For every case: the
// rank of the right element in the prefilter's order (recall@K), and what the shipped model
// decides on the shortlist against on all candidates. The apps' pages are small (9–259
// candidates), so it is run a second time with the other apps' candidates added as noise.
import { SHORTLIST_SIZE } from '../src/browser/capture.js';
import type { Candidate } from '../src/healing/fingerprint.js';
import { prefilter, type Sketch } from '../src/healing/prefilter.js';
import { rankCandidates, type RankResult } from '../src/healing/rank.js';
import { dataDirFrom } from './args.js';
import { loadApps, type BenchCase } from './load.js';

const KS = [10, 25, 50, 100, SHORTLIST_SIZE];
/**
 * A candidate as the page's first pass sees it (captureSketch): no box (no layout is read), so
 * the prefilter's nearness term is 0. Its other approximations (subtree text with hidden
 * descendants, ARIA-only names) cannot be rebuilt from stored fingerprints: those are as stored.
 */
const sketchOf = ({ box: _box, neighbors: _neighbors, ...rest }: Candidate): Sketch => rest;
const { scores } = prefilter();

/** 1-based rank of candidate `row` in the prefilter's order (ties: document order). */
function rankOf(s: Float64Array, row: number): number {
  let rank = 1;
  for (let i = 0; i < s.length; i++) if (s[i]! > s[row]! || (s[i] === s[row] && i < row)) rank++;
  return rank;
}

function shortlistOf(s: Float64Array, k: number): number[] {
  return Array.from(s.keys())
    .sort((a, b) => s[b]! - s[a]! || a - b)
    .slice(0, k)
    .sort((a, b) => a - b);
}

function decisions(results: readonly { c: BenchCase; r: RankResult }[]) {
  const heals = results.filter((x) => x.r.decision === 'heal');
  const right = heals.filter((x) => x.c.accept.includes(x.r.best!.index)).length;
  const top1 = results.filter((x) => x.r.best?.index === x.c.candidates[x.c.expected]!.index).length;
  return `top-1 ${top1}/${results.length}, heals ${heals.length} (right ${right}, wrong ${heals.length - right})`;
}

function report(label: string, cases: readonly BenchCase[]) {
  const sizes = cases.map((c) => c.candidates.length);
  const ranked = cases.map((c) => ({ c, s: scores(c.target, c.candidates.map(sketchOf)) }));
  const ranks = ranked.map(({ c, s }) => ({ id: c.id, rank: rankOf(s, c.expected) }));
  const worst = [...ranks].sort((a, b) => b.rank - a.rank).slice(0, 3);
  console.log(`${label}: ${cases.length} cases, ${Math.min(...sizes)}–${Math.max(...sizes)} candidates`);
  console.log(`  recall ${KS.map((k) => `@${k} ${ranks.filter((r) => r.rank <= k).length}/${cases.length}`).join('  ')}  | worst: ${worst.map((w) => `${w.id} #${w.rank}`).join(', ')}`);
  const full = ranked.map(({ c }) => ({ c, r: rankCandidates(c.target, c.candidates) }));
  console.log(`  all candidates: ${decisions(full)}`);
  for (const k of KS.filter((k) => k < Math.max(...sizes))) {
    const short = ranked.map(({ c, s }) => ({ c, r: rankCandidates(c.target, shortlistOf(s, k).map((i) => c.candidates[i]!)) }));
    const changed = short.filter((x, i) => x.r.decision !== full[i]!.r.decision || x.r.best?.index !== full[i]!.r.best?.index).length;
    console.log(`  shortlist of ${k}: ${decisions(short)}; ${changed} decisions differ`);
  }
}

const apps = loadApps(dataDirFrom(process.argv.slice(2), 'bench/prefilter.ts'));
report('benchmark pages', apps.flatMap((a) => a.cases));
// Noise: every other app's candidates after the page's own, re-indexed; the answer keeps its place.
const noisy = apps.flatMap((app) => {
  const others = apps.filter((a) => a !== app).flatMap((a) => a.cases[0]?.candidates ?? []);
  return app.cases.map((c): BenchCase => {
    const candidates: Candidate[] = [...c.candidates, ...others].map((x, index) => ({ ...x, index }));
    return { ...c, candidates };
  });
});
report('with the other apps as noise', noisy);
