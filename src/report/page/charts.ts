import { h, s } from './dom.js';

const W = 320;
const H = 90;
const PAD = 4;

/** A small line (or bar) chart of one series over the runs, oldest first; null values leave gaps. */
export function trend(title: string, values: Array<number | null>, options: { max?: number; bars?: boolean; format?: (v: number) => string; labels?: string[] } = {}): HTMLElement {
  const known = values.filter((v): v is number => v !== null);
  const max = options.max ?? Math.max(1, ...known);
  const x = (i: number) => PAD + (values.length <= 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (values.length - 1));
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart' });
  svg.appendChild(s('line', { x1: PAD, x2: W - PAD, y1: H - PAD, y2: H - PAD, class: 'axis' }));
  const fmt = options.format ?? ((v: number) => String(Math.round(v * 100) / 100));
  if (options.bars) {
    const width = Math.max(1, (W - 2 * PAD) / Math.max(1, values.length) - 1);
    values.forEach((v, i) => {
      if (v === null) return;
      const left = PAD + (i * (W - 2 * PAD)) / Math.max(1, values.length);
      svg.appendChild(s('rect', { x: left, y: y(v), width, height: H - PAD - y(v), class: 'bar' }, s('title', {}, `${options.labels?.[i] ?? `run ${i + 1}`}: ${fmt(v)}`)));
    });
  } else {
    let path = '';
    values.forEach((v, i) => {
      if (v === null) return void (path += ' ');
      path += `${path && !path.endsWith(' ') ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    svg.appendChild(s('path', { d: path.replace(/ +/g, ''), class: 'line' }));
    values.forEach((v, i) => {
      if (v !== null) svg.appendChild(s('circle', { cx: x(i), cy: y(v), r: 2, class: 'dot' }, s('title', {}, `${options.labels?.[i] ?? `run ${i + 1}`}: ${fmt(v)}`)));
    });
  }
  const last = known.at(-1);
  return h('figure', { class: 'trend' }, h('figcaption', {}, title, last !== undefined ? h('b', {}, ` ${fmt(last)}`) : ' –'), svg);
}

const LETTER_TITLES: Record<string, string> = { p: 'passed', f: 'failed', k: 'flaky', s: 'skipped', h: 'healed', '.': 'not run' };

/** A test's history as a strip of squares, oldest first. */
export function strip(history: string): HTMLElement {
  const el = h('span', { class: 'strip', 'aria-label': history.split('').map((c) => LETTER_TITLES[c] ?? c).join(', ') });
  for (const c of history) el.appendChild(h('i', { class: `r-${c === '.' ? 'none' : c}`, title: LETTER_TITLES[c] ?? c }));
  return el;
}

/** Predicted against observed failure rate per score band. */
export function calibrationChart(bands: Array<{ from: number; to: number; tests: number; predicted: number; observed: number }>): HTMLElement {
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + 14}`, role: 'img', 'aria-label': 'calibration', class: 'chart' });
  const width = (W - 2 * PAD) / bands.length;
  bands.forEach((b, i) => {
    const left = PAD + i * width;
    const bar = (v: number, dx: number, cls: string, label: string) =>
      svg.appendChild(s('rect', { x: left + dx, y: H - PAD - v * (H - 2 * PAD), width: width / 2 - 3, height: v * (H - 2 * PAD), class: cls }, s('title', {}, `${label} ${(v * 100).toFixed(0)}% (${b.tests} tests)`)));
    if (b.tests) {
      bar(b.predicted, 1, 'bar predicted', `score ${b.from.toFixed(1)}–${b.to.toFixed(1)}: predicted`);
      bar(b.observed, width / 2, 'bar observed', `score ${b.from.toFixed(1)}–${b.to.toFixed(1)}: observed`);
    }
    svg.appendChild(s('text', { x: left + width / 2, y: H + 10, 'text-anchor': 'middle', class: 'tick' }, `${b.from.toFixed(1)}–${b.to.toFixed(1)}`));
  });
  return h('figure', { class: 'trend' }, h('figcaption', {}, 'calibration: predicted ', h('span', { class: 'key predicted' }), ' vs observed ', h('span', { class: 'key observed' })), svg);
}
