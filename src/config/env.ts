import { MedicConfigError } from '../errors.js';

type Parse = (raw: string, name: string) => unknown;

const text: Parse = (raw) => raw;
const number: Parse = (raw, name) => {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new MedicConfigError(`${name}=${JSON.stringify(raw)} is not a number.`, {
      fix: `Set ${name} to a number (e.g. ${name}=0.8) or unset it.`,
    });
  }
  return value;
};
const bool: Parse = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new MedicConfigError(`${name}=${JSON.stringify(raw)} is not a boolean.`, {
    fix: `Set ${name} to true or false, or unset it.`,
  });
};
const list: Parse = (raw) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Each MEDIC_* variable and the option path it overrides. Environment beats options. */
export const ENV_OVERRIDES: ReadonlyArray<{ name: string; path: readonly string[]; parse: Parse }> = [
  { name: 'MEDIC_PROJECT', path: ['project'], parse: text },
  { name: 'MEDIC_RUN_GROUP', path: ['runGroup'], parse: text },
  { name: 'MEDIC_STORE_KIND', path: ['store', 'kind'], parse: text },
  { name: 'MEDIC_STORE_PATH', path: ['store', 'path'], parse: text },
  { name: 'MEDIC_STORE_BUSY_TIMEOUT_MS', path: ['store', 'busyTimeoutMs'], parse: number },
  { name: 'MEDIC_REDIS_URL', path: ['store', 'url'], parse: text },
  { name: 'MEDIC_REDIS_PREFIX', path: ['store', 'keyPrefix'], parse: text },
  { name: 'MEDIC_STORE_SPOOL_PATH', path: ['store', 'spoolPath'], parse: text },
  { name: 'MEDIC_VECTORS_KIND', path: ['vectors', 'kind'], parse: text },
  { name: 'MEDIC_CHROMA_URL', path: ['vectors', 'url'], parse: text },
  { name: 'MEDIC_CHROMA_PREFIX', path: ['vectors', 'prefix'], parse: text },
  { name: 'MEDIC_EMBEDDER_KIND', path: ['embedder', 'kind'], parse: text },
  { name: 'MEDIC_EMBEDDER_BASE_URL', path: ['embedder', 'baseURL'], parse: text },
  { name: 'MEDIC_EMBEDDER_MODEL', path: ['embedder', 'model'], parse: text },
  { name: 'MEDIC_EMBEDDER_DIMENSION', path: ['embedder', 'dimension'], parse: number },
  { name: 'MEDIC_HEALING_MODE', path: ['healing', 'mode'], parse: text },
  { name: 'MEDIC_HEALING_THRESHOLD', path: ['healing', 'threshold'], parse: number },
  { name: 'MEDIC_HEALING_MIN_MARGIN', path: ['healing', 'minMargin'], parse: number },
  { name: 'MEDIC_HEALING_FAIL_ON_HEAL', path: ['healing', 'failOnHeal'], parse: bool },
  { name: 'MEDIC_REPORT_DIR', path: ['report', 'dir'], parse: text },
  { name: 'MEDIC_REPORT_SUMMARY', path: ['report', 'summary'], parse: bool },
  { name: 'MEDIC_REPORT_HTML', path: ['report', 'html'], parse: bool },
  { name: 'MEDIC_REPORT_CTRF', path: ['report', 'ctrf'], parse: bool },
  { name: 'MEDIC_REPORT_RUNS', path: ['report', 'runs'], parse: number },
  { name: 'MEDIC_RISK_ENABLED', path: ['risk', 'enabled'], parse: bool },
  { name: 'MEDIC_RISK_TOP_K', path: ['risk', 'topK'], parse: number },
  { name: 'MEDIC_RISK_PREFLIGHT', path: ['risk', 'preflight'], parse: (raw, name) => (['auto', 'always', 'off'].includes(raw.trim().toLowerCase()) ? raw.trim().toLowerCase() : bool(raw, name)) },
  { name: 'MEDIC_RISK_PREFLIGHT_STATE', path: ['risk', 'preflightState'], parse: (raw) => raw.trim().toLowerCase() },
  { name: 'MEDIC_RISK_PREFLIGHT_BUDGET_MS', path: ['risk', 'preflightBudgetMs'], parse: number },
  { name: 'MEDIC_RISK_FILE', path: ['risk', 'file'], parse: text },
  { name: 'MEDIC_LLM_BASE_URL', path: ['llm', 'baseURL'], parse: text },
  { name: 'MEDIC_LLM_MODELS', path: ['llm', 'models'], parse: list },
  { name: 'MEDIC_LLM_BUDGET_USD', path: ['llm', 'budgetUsd'], parse: number },
  { name: 'MEDIC_LLM_DAILY_BUDGET_USD', path: ['llm', 'dailyBudgetUsd'], parse: number },
  { name: 'MEDIC_LLM_TIMEOUT_MS', path: ['llm', 'timeoutMs'], parse: number },
  { name: 'MEDIC_QUIET', path: ['quiet'], parse: bool },
];

/** The env variable that overrides an option path, if any. */
export function envNameFor(path: readonly PropertyKey[]): string | undefined {
  const key = path.join('.');
  return ENV_OVERRIDES.find((entry) => entry.path.join('.') === key)?.name;
}

/** Returns a deep copy of `options` with every set MEDIC_* variable applied. */
export function applyEnvOverrides(options: unknown, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(isRecord(options) ? options : {});
  for (const { name, path, parse } of ENV_OVERRIDES) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let target = result;
    for (const key of path.slice(0, -1)) {
      if (!isRecord(target[key])) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]!] = parse(raw, name);
  }
  // A Redis URL in the environment is a choice of store (CI shards sharing one memory), unless MEDIC_STORE_KIND says otherwise.
  if (env.MEDIC_REDIS_URL && !env.MEDIC_STORE_KIND) (result.store as Record<string, unknown>).kind = 'redis';
  if (env.MEDIC_CHROMA_URL && !env.MEDIC_VECTORS_KIND) (result.vectors as Record<string, unknown>).kind = 'chroma';
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
