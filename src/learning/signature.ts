import { createHash } from 'node:crypto';
import { categorizeError, type FailureCategory } from './categorize.js';

// CSI sequences (colours, cursor moves) and OSC sequences (terminal hyperlinks).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

// Placeholders for text that must survive the later masks untouched (hosts, masked URLs). Private
// use characters and letters only, so the number masks cannot see them.
const KEEP_OPEN = '\uE000';
const KEEP_CLOSE = '\uE001';
const KEPT = /\uE000([a-z]+)\uE001/g;

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const URL_TEXT = /\b([a-z][a-z0-9+.-]*):\/\/([^\s"'`<>()[\]{}]*)/gi;
const TEMP_DIR =
  /(?:\/private)?\/var\/folders\/[^\s"'`:)]+|\/(?:tmp|var\/tmp)\/[^\s"'`:)]+|[A-Za-z]:\\(?:Users\\[^\\\s]+\\AppData\\Local\\Temp|Windows\\Temp)\\[^\s"'`:)]+/g;
// An absolute path to a file (it has an extension), with an optional :line or :line:column.
const FILE_PATH = /(?:\/[\w.@+-]+)+\/([\w.@+-]*\.[A-Za-z]\w*)((?::\d+){0,2})|[A-Za-z]:\\(?:[^\\\s:"'`]+\\)+([^\\\s:"'`]+\.\w+)((?::\d+){0,2})/g;
const HOST_PORT = /\b(\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[0-9a-f:.]+\]):\d{1,5}\b/gi;
const HEX_LITERAL = /\b0x[0-9a-f]+\b/gi;
// 8+ hex digits with at least one digit: hashes, random ids, long numbers (so a random id that
// happens to be all digits masks the same way as one with letters).
const HEX_TOKEN = /\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi;
// Tokens that alternate letters and digits (a8Fk2LqZ, k3j4h5lq, V1StGXR8_Z5jdHi6B): generated ids.
const MIXED_TOKEN = /\b[A-Za-z0-9_]{6,}\b/g;
// Numbers not glued to a word (h1, item2, x64 stay), keeping a duration or size unit.
const NUMBER = /(?<![A-Za-z_$\d])\d+(?:[.,]\d+)*(ms|s|m|h|px|kB|KB|MB|GB|B)?(?![A-Za-z_\d])/g;

function letters(index: number): string {
  let out = '';
  let n = index;
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

function indexOf(code: string): number {
  let n = 0;
  for (const char of code) n = n * 26 + (char.charCodeAt(0) - 96);
  return n - 1;
}

function looksGenerated(token: string): boolean {
  const digits = token.replace(/\D/g, '').length;
  const alphas = token.replace(/[^A-Za-z]/g, '').length;
  if (digits < 2 || alphas < 2) return false;
  const transitions = token.match(/[A-Za-z]\d|\d[A-Za-z]/g)?.length ?? 0;
  return transitions >= 3;
}

/** Masks the variable tokens of a piece of text (no URLs or paths in it). */
function maskTokens(text: string): string {
  return text
    .replace(UUID, '<uuid>')
    .replace(HEX_LITERAL, '<hex>')
    .replace(HEX_TOKEN, '<id>')
    .replace(MIXED_TOKEN, (token) => (looksGenerated(token) ? '<id>' : token))
    .replace(NUMBER, (_match, unit: string | undefined) => `<n>${unit ?? ''}`);
}

/** `scheme://host:port/path?query#fragment` with the port, ids in the path, query values and fragment masked. */
function maskUrl(scheme: string, rest: string): string {
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const hostPort = authority.replace(/^[^@]*@/, '');
  const portMatch = /:(\d+)$/.exec(hostPort);
  const host = (portMatch ? hostPort.slice(0, portMatch.index) : hostPort).toLowerCase();
  const port = portMatch ? ':<port>' : '';
  const hashAt = tail.indexOf('#');
  const beforeHash = hashAt < 0 ? tail : tail.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? undefined : beforeHash.slice(queryAt + 1);
  const maskedPath = path
    .split('/')
    .map((segment) => maskTokens(segment))
    .join('/');
  const maskedQuery =
    query === undefined
      ? ''
      : `?${query
          .split('&')
          .map((pair) => {
            const eq = pair.indexOf('=');
            return eq < 0 ? maskTokens(pair) : `${pair.slice(0, eq)}=<v>`;
          })
          .join('&')}`;
  const fragment = hashAt < 0 ? '' : tail.length > hashAt + 1 ? '#<v>' : '#';
  return `${scheme.toLowerCase()}://${host}${port}${maskedPath}${maskedQuery}${fragment}`;
}

/**
 * The message with what varies between runs and machines masked, so that the same failure reads
 * the same everywhere: ANSI codes stripped, line endings and blanks normalised; temp dirs → `<tmp>`;
 * absolute file paths → their file name, `:line:column` → `:<n>:<n>`; URLs keep scheme and host,
 * the port becomes `<port>`, ids in the path are masked and query values become `<v>`; `host:port`
 * → `host:<port>`; UUIDs → `<uuid>`, `0x…` → `<hex>`, long hex or generated-looking tokens → `<id>`
 * (quoted or not); numbers and durations → `<n>`, `<n>ms`. Numbers glued to a word (`h1`, `x64`) stay.
 * @example normalizeErrorMessage('locator.click: Timeout 1000ms exceeded at http://127.0.0.1:4173/cart/42?session=ab12') // 'locator.click: Timeout <n>ms exceeded at http://127.0.0.1:<port>/cart/<n>?session=<v>'
 */
export function normalizeErrorMessage(message: string): string {
  const kept: string[] = [];
  const keep = (text: string) => `${KEEP_OPEN}${letters(kept.push(text) - 1)}${KEEP_CLOSE}`;
  const masked = message
    .replace(ANSI, '')
    .replace(/\r\n?/g, '\n')
    .replace(UUID, '<uuid>')
    .replace(URL_TEXT, (_match, scheme: string, rest: string) => keep(maskUrl(scheme, rest)))
    .replace(TEMP_DIR, () => keep('<tmp>'))
    .replace(FILE_PATH, (_match, unixBase?: string, unixPos?: string, winBase?: string, winPos?: string) => {
      const base = unixBase ?? winBase ?? '';
      const position = (unixPos ?? winPos ?? '').replace(/\d+/g, '<n>');
      return keep(`${maskTokens(base)}${position}`);
    })
    .replace(HOST_PORT, (_match, host: string) => keep(`${host.toLowerCase()}:<port>`));
  return maskTokens(masked)
    .replace(KEPT, (_match, code: string) => kept[indexOf(code)] ?? '')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** How many lines of the message proper (before the call log) go into the signature. */
const MAX_HEAD_LINES = 12;
/** How many call log lines saying what was awaited (and why it was not actionable) go into the signature. */
const MAX_LOG_LINES = 4;
/** How many stack frames in user code go into the signature. */
const MAX_FRAMES = 3;

const LOG_START = /^(?:Call log:|=+ logs =+)$/i;
const LOG_END = /^=+$/;
// Call log lines that say what was awaited (the locator, the URL, the event), not how it went:
// retries, attempts, "resolved to" counts and waits vary from run to run.
const LOG_WHAT =
  /^(?:- )?(?:waiting for (?:locator\(|getBy\w+\(|frameLocator\(|internal:|selector\b|navigation\b|event\b|response\b|request\b|load state\b)|navigating to |Expect "|→ [A-Z]+ )/;
// Call log lines that say why an element that was found is not actionable. How often each shows
// up varies, so they count once each, sorted.
const LOG_WHY = /^(?:- )?(?:element is not \w+|element is outside of the viewport|element was detached from the DOM\b|.* intercepts pointer events)/;
// A strict mode violation lists the matched elements: `<n>) <li>Apple</li> aka getByText('Apple')`.
const ELEMENT_LIST_LINE = /^(?:<n>\) |\.\.\.and <n> more)/;

/** The meaningful lines of the normalised message: the message proper, then what was awaited. */
function messageLines(message: string): string[] {
  const head: string[] = [];
  const log: string[] = [];
  const why = new Set<string>();
  let inLog = false;
  for (const raw of normalizeErrorMessage(message).split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (LOG_START.test(line)) {
      inLog = true;
      continue;
    }
    if (inLog) {
      if (LOG_END.test(line)) continue;
      const entry = line.replace(/^- /, '');
      if (LOG_WHAT.test(line) && !log.includes(entry)) log.push(entry);
      else if (LOG_WHY.test(line)) why.add(entry);
      continue;
    }
    // Stack frames inside the message (page.evaluate quotes the page's stack) are not the message.
    if (/^at /.test(line) || ELEMENT_LIST_LINE.test(line)) continue;
    head.push(line);
  }
  return [...head.slice(0, MAX_HEAD_LINES), ...log.slice(0, MAX_LOG_LINES), ...[...why].sort().slice(0, MAX_LOG_LINES)];
}

/**
 * The top stack frames that are in user code, as `function@file` (file name only: no directory, no
 * line or column). Frames in node_modules, Node internals, the page (eval, `<anonymous>`, URLs)
 * and Playwright itself are skipped.
 */
function userFrames(stack: string): string[] {
  const frames: string[] = [];
  for (const raw of stack.replace(ANSI, '').split(/\r?\n/)) {
    const match = /^\s*at (?:async )?(?:(.*?) \((.*)\)|(.*))$/.exec(raw);
    if (!match) continue;
    const fn = (match[1] ?? '').trim();
    const location = (match[2] ?? match[3] ?? '').trim();
    if (/node_modules|^node:|^internal\/|<anonymous>|^native\b|\beval at\b|^index \d+$/.test(location)) continue;
    if (/^(?:[a-z][a-z0-9+.-]*:\/\/(?!\/)|about:|data:|blob:)/i.test(location)) continue;
    if (/[\\/](?:playwright|playwright-core|@playwright)[\\/]/.test(location)) continue;
    const file = location
      .replace(/^file:\/\//, '')
      .replace(/(?::\d+){1,2}$/, '')
      .split(/[\\/]/)
      .pop();
    if (!file || !/\.\w+$/.test(file)) continue;
    frames.push(`${fn}@${maskTokens(file)}`);
    if (frames.length === MAX_FRAMES) break;
  }
  return frames;
}

/**
 * What {@link failureSignature} hashes: the category, the meaningful lines of the normalised
 * message, and the user-code frames of the stack. Exposed to explain why two signatures differ.
 */
export function signatureBasis(error: { message?: string; stack?: string }, category?: FailureCategory): string {
  const message = error.message ?? error.stack ?? '';
  const kind = category ?? categorizeError(error);
  return [kind, ...messageLines(message), '--', ...userFrames(error.stack ?? '')].join('\n');
}

/**
 * A short stable hash (16 hex characters of a SHA-1) of a failure: equal for the same failure in
 * any run on any machine, different when the category, the failing call, the locator or URL, the
 * expected or received text, or the user code it failed in differ. Numbers count as variable, so
 * `toBe(3)` and `toBe(5)` share a signature. The category is computed when not given.
 * @example failureSignature({ message: 'Test timeout of 5000ms exceeded.' }) === failureSignature({ message: 'Test timeout of 30000ms exceeded.' })
 */
export function failureSignature(error: { message?: string; stack?: string }, category?: FailureCategory): string {
  return createHash('sha1').update(signatureBasis(error, category)).digest('hex').slice(0, 16);
}

/**
 * What the reporter keeps of an error: its category and signature, from the message and stack.
 * @example const { category, signature } = signError({ message: error.message, stack: error.stack });
 */
export function signError(error: { message: string; stack?: string | null }): { category: FailureCategory; signature: string } {
  const e = { message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  const category = categorizeError(e);
  return { category, signature: failureSignature(e, category) };
}
