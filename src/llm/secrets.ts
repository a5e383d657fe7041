// What looks like a secret, masked before anything is sent to a model (failure messages, page texts).

const MASK = '<masked>';
// Long runs of key characters; masked only when they look random (see `looksRandom`).
const KEYISH = /[A-Za-z0-9+/_-]{32,}={0,2}/g;
const looksRandom = (s: string) => /^[0-9a-f]+=*$/i.test(s) || (/\d/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s));
// A run with slashes is a path or standard base64: masked whole when random, else its long random parts.
const maskRun = (run: string) => (looksRandom(run) ? MASK : run.split('/').map((part) => (part.length >= 32 && looksRandom(part) ? MASK : part)).join('/'));

/**
 * `text` with what looks like a secret masked: bearer tokens (and basic credentials),
 * `password=…`-like pairs (`token`, `secret`, `api_key`, `pwd`…, with `=` or `:`), and long keys
 * (32+ characters of hex, or of base64 mixing digits and both cases, so a long test path survives).
 * @example maskSecrets('POST /login password=hunter2 → 401') // 'POST /login password=<masked> → 401'
 */
export function maskSecrets(text: string): string {
  return text
    .replace(/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${MASK}`)
    .replace(/\b(basic\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}/gi, `$1${MASK}`)
    .replace(/\b([\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)[\w-]*)(["']?\s*[=:]\s*["']?)(?!<masked>)[^\s"'&,;]+/gi, `$1$2${MASK}`)
    .replace(KEYISH, maskRun);
}
