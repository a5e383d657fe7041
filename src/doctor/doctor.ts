import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isLlmCallError, type ChatMessage } from '../llm/client.js';
import { openaiClient } from '../llm/openaiClient.js';
import { parseRepairAnswer, REPAIR_SCHEMA } from '../llm/repairPrompt.js';
import OpenAI from 'openai';
import { defineMedicConfig } from '../config/index.js';
import type { MedicConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import { Spool } from '../resilience/spool.js';
import { openStore, spoolPath, storePath } from '../store/open.js';
import { openRedisStore, REDIS_SCHEMA_VERSION } from '../store/redis.js';
import type { SpooledStore } from '../store/spooledStore.js';
import { inspectSqlite, openSqliteStore } from '../store/sqliteOpen.js';
import { MIGRATIONS } from '../store/migrations.js';
import type { BreakerState } from '../resilience/breakerBoard.js';
import { chromaClient, chromaCollectionName } from '../vector/chromaIndex.js';
import { openEmbedder } from '../vector/openEmbedder.js';
import { embedderTarget } from '../vector/openaiEmbedder.js';
import { isVectorSpoolTarget, replayChromaSpool, vectorWritesWaiting } from '../vector/pendingVectors.js';
import { splitFix, summarizeChecks, type Check, type CheckStatus, type DoctorReport } from './report.js';
import { VECTOR_COLLECTION_NAMES } from '../learning/collections.js';

/** The vector collections the learners write (src/learning/learnRun.ts). */
/** Below this much free space a run may fail to write its store, spool or report. */
export const DISK_MIN_FREE_BYTES = 200 * 1024 * 1024;
/** Below this much, a warning. */
export const DISK_LOW_FREE_BYTES = 1024 * 1024 * 1024;

export type DoctorOptions = {
  /** The folder paths are resolved against (the Playwright config's folder). */
  baseDir: string;
  /** Do what is obviously safe: replay the spool, run a pending SQLite migration (it keeps a backup). */
  fix?: boolean;
  env?: NodeJS.ProcessEnv;
  /** How long each network probe may take, in ms. Default 5,000. */
  timeoutMs?: number;
};

type Found = Omit<Check, 'name' | 'ms'>;
type Probe = () => Promise<Found>;

const problemOf = (error: unknown, fallbackFix: string): Found => {
  const { detail, fix } = splitFix(describeError(error));
  return { status: 'problem', detail, fix: fix ?? fallbackFix };
};

/**
 * Looks at everything the configuration names — store, vector index, embedder, LLM endpoint,
 * the breakers a run would start with, the spool, the disk — and says for each what is wrong
 * and the one change that fixes it. Never throws: a failed check is a problem in the report.
 * @example const report = await runDoctor({ baseDir: process.cwd(), fix: true }); process.exitCode = report.ok ? 0 : 1;
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const checks: Check[] = [];
  const check = async (name: string, probe: Probe): Promise<Found> => {
    const started = performance.now();
    let found: Found;
    try {
      found = await probe();
    } catch (error) {
      found = problemOf(error, 'See the message above.');
    }
    checks.push({ name, ...found, ms: Math.round(performance.now() - started) });
    return found;
  };

  let config: MedicConfig | undefined;
  await check('config', async () => {
    config = defineMedicConfig({}, env);
    const c = config;
    const store = c.store.kind === 'redis' ? `redis ${c.store.url} (prefix ${c.store.keyPrefix})` : c.store.kind === 'sqlite' ? `sqlite ${c.store.path}` : 'memory';
    const vectors = c.vectors.kind === 'chroma' ? `chroma ${c.vectors.url}` : 'local';
    const embedder = c.embedder.kind === 'openai' ? `openai ${c.embedder.model}` : 'hashing';
    return { status: 'ok', detail: `project "${c.project}", store ${store}, vectors ${vectors}, embedder ${embedder}, llm ${c.llm ? 'on' : 'off'}` };
  });
  if (!config) return summarizeChecks(checks);
  const c = config;
  const timeoutMs = options.timeoutMs ?? 5_000;

  const store = await check('store', () => checkStore(c, options.baseDir, options.fix === true, timeoutMs));
  const vectors = await check('vectors', () => checkVectors(c, timeoutMs));
  const embedder = await check('embedder', () => checkEmbedder(c, env));
  const llm = await check('llm', () => checkLlm(c, env, timeoutMs));
  await check('breakers', async () => breakers(c, { store: store.status, vectors: vectors.status, embedder: embedder.status, llm: llm.status }, await sharedBreakers(c, options.baseDir, timeoutMs, store.status)));
  await check('spool', () => checkSpool(c, options.baseDir, options.fix === true, { store: store.status !== 'problem', vectors: vectors.status !== 'problem' }));
  await check('disk', async () => checkDisk(c, options.baseDir));
  return summarizeChecks(checks);
}

async function checkStore(c: MedicConfig, baseDir: string, fix: boolean, timeoutMs: number): Promise<Found> {
  if (c.store.kind === 'memory') return { status: 'warn', detail: 'memory: nothing is kept after the process', fix: 'Unset MEDIC_STORE_KIND for the embedded SQLite store.' };
  if (c.store.kind === 'redis') {
    const redis = openRedisStore({ url: c.store.url!, keyPrefix: c.store.keyPrefix, connectTimeoutMs: timeoutMs });
    try {
      const seen = await redis.inspect();
      const where = `redis ${redis.location} (prefix ${c.store.keyPrefix}): Redis ${seen.serverVersion}, layout ${seen.schemaVersion ?? 'none yet'} of ${REDIS_SCHEMA_VERSION}, ${seen.runs} runs, ${seen.usedMemory} used`;
      if (seen.schemaVersion !== undefined && seen.schemaVersion > REDIS_SCHEMA_VERSION) {
        return { status: 'problem', detail: `${where}: written by a newer playwright-medic`, fix: 'Upgrade playwright-medic (npm install -D playwright-medic@latest), or use another store.keyPrefix (MEDIC_REDIS_PREFIX).' };
      }
      if (seen.maxmemoryPolicy !== 'noeviction' && seen.maxmemoryPolicy !== 'unknown') {
        return { status: 'warn', detail: `${where}; maxmemory-policy ${seen.maxmemoryPolicy} may evict knowledge when memory is full`, fix: 'redis-cli config set maxmemory-policy noeviction (and in redis.conf), or give Redis more memory.' };
      }
      return { status: 'ok', detail: where };
    } finally {
      await redis.close();
    }
  }
  const path = storePath(c, baseDir);
  if (!existsSync(path)) return { status: 'ok', detail: `sqlite ${path}: not created yet (the first run with the reporter creates it)` };
  let seen = inspectSqlite(path);
  const where = () => `sqlite ${path}: schema ${seen.version} of ${seen.latest}, integrity ${seen.integrity}, ${seen.runs} runs`;
  if (!seen.ours) return { status: 'problem', detail: `${path} is a SQLite database, but not playwright-medic's`, fix: 'Point store.path (MEDIC_STORE_PATH) at another file; playwright-medic will create it.' };
  if (seen.integrity !== 'ok') return { status: 'problem', detail: where(), fix: `Move it aside (mv ${path} ${path}.broken) and let the next run start a new one, or restore a backup (${path}.v*.bak).` };
  if (seen.version > seen.latest) return { status: 'problem', detail: `${where()}: written by a newer playwright-medic`, fix: 'Upgrade playwright-medic (npm install -D playwright-medic@latest).' };
  if (seen.version < seen.latest) {
    const backup = `${path}.v${seen.version}.bak`;
    if (!fix) return { status: 'problem', detail: `${where()}: a migration is pending`, fix: `npx medic doctor --fix (keeps a backup at ${backup}), or run the suite once with the reporter.` };
    const before = seen.version;
    await openSqliteStore({ path, busyTimeoutMs: c.store.busyTimeoutMs }).close(); // migrates inside a write lock, after the backup
    seen = inspectSqlite(path);
    return { status: seen.version === seen.latest ? 'ok' : 'problem', detail: where(), fixed: `migrated schema ${before} → ${seen.version}; the old data is in ${backup}` };
  }
  return { status: 'ok', detail: where() };
}

async function checkVectors(c: MedicConfig, timeoutMs: number): Promise<Found> {
  if (c.vectors.kind === 'local') return { status: 'ok', detail: 'local: the vectors live in the knowledge store (exact search)' };
  const { client, url } = await chromaClient(c.vectors.url!);
  const embedder = openEmbedder(c);
  const within = <T>(what: string, promise: Promise<T>) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} within ${timeoutMs} ms`)), timeoutMs).unref())]);
  let version: string;
  try {
    await within('a heartbeat', client.heartbeat());
    version = await within('a version request', client.version());
  } catch (error) {
    return {
      status: 'problem',
      detail: `chroma ${url.origin} does not answer (${describeError(error)}); runs fall back to the local index, with a warning`,
      fix: 'Start it (npm run chroma -- --path .medic/chroma --port 8000), or point vectors.url (MEDIC_CHROMA_URL) at a running one.',
    };
  }
  const ours: string[] = [];
  const wrong: string[] = [];
  for (const collection of VECTOR_COLLECTION_NAMES) {
    const name = chromaCollectionName(c.vectors.prefix, collection, embedder.id);
    const found = await within('a collection lookup', client.getCollection({ name })).catch(() => undefined);
    if (!found) {
      ours.push(`${collection}: none yet`);
      continue;
    }
    const dimension = Number(found.metadata?.dimension);
    const count = await within('a count', found.count());
    ours.push(`${collection}: ${count} vectors of ${dimension}`);
    if (dimension !== embedder.dimension) wrong.push(`${name} holds vectors of ${dimension} dimensions, the embedder makes ${embedder.dimension}`);
  }
  const detail = `chroma ${url.origin} (Chroma ${version}), embedder ${embedder.id}: ${ours.join(', ')}`;
  if (wrong.length) return { status: 'problem', detail: `${detail}; ${wrong.join('; ')}`, fix: `Delete those collections (they are rebuilt from the store), or set vectors.prefix (MEDIC_CHROMA_PREFIX) to a new one.` };
  return { status: 'ok', detail };
}

async function checkEmbedder(c: MedicConfig, env: NodeJS.ProcessEnv): Promise<Found> {
  const embedder = openEmbedder(c, env);
  if (c.embedder.kind === 'hashing') return { status: 'ok', detail: `${embedder.id}: offline, ${embedder.dimension} dimensions` };
  if (!env[c.embedder.apiKeyEnv] && !c.embedder.baseURL) {
    return { status: 'problem', detail: `openai ${c.embedder.model}: ${c.embedder.apiKeyEnv} is not set`, fix: `Set ${c.embedder.apiKeyEnv} to the API key, or point embedder.baseURL (MEDIC_EMBEDDER_BASE_URL) at a local server.` };
  }
  const started = performance.now();
  const [vector] = await embedder.embed(['medic doctor: can this embedder embed?']);
  return { status: 'ok', detail: `${embedder.id} at ${c.embedder.baseURL ?? 'the OpenAI API'}: answered ${vector!.length} dimensions in ${Math.round(performance.now() - started)} ms` };
}

/** The probe each configured model is asked: a repair's answer shape, a few tokens. */
const PROBE: ChatMessage[] = [
  { role: 'system', content: 'You answer only with one JSON object.' },
  { role: 'user', content: 'This is a connection check. Answer {"index": 0, "reason": "ok"}.' },
];

async function checkLlm(c: MedicConfig, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Found> {
  if (!c.llm) return { status: 'skipped', detail: 'not configured (optional: llm.baseURL and llm.models, or MEDIC_LLM_BASE_URL and MEDIC_LLM_MODELS)' };
  const endpoint = c.llm.baseURL ?? 'the OpenAI API';
  const key = env[c.llm.apiKeyEnv];
  if (!key && !c.llm.baseURL) return { status: 'problem', detail: `${endpoint}: ${c.llm.apiKeyEnv} is not set`, fix: `Set ${c.llm.apiKeyEnv} to the API key, or point llm.baseURL (MEDIC_LLM_BASE_URL) at a local server.` };
  const client = new OpenAI({ apiKey: key || 'none', ...(c.llm.baseURL ? { baseURL: c.llm.baseURL } : {}), timeout: timeoutMs, maxRetries: 0 });
  let served: string[];
  try {
    served = [];
    for await (const model of client.models.list()) served.push(model.id);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) return { status: 'warn', detail: `${endpoint} answers, but does not list its models (404 on /models), so ${c.llm.models.join(', ')} could not be checked` };
    return { status: 'problem', detail: `${endpoint} failed: ${describeError(error)}`, fix: status === 401 || status === 403 ? `Check the key in ${c.llm.apiKeyEnv}.` : 'Check that the server runs there, or point llm.baseURL (MEDIC_LLM_BASE_URL) at one that does.' };
  }
  const missing = c.llm.models.filter((m) => !served.includes(m));
  if (missing.length) return { status: 'problem', detail: `${endpoint} does not serve ${missing.join(', ')} (it serves ${served.slice(0, 8).join(', ') || 'no models'})`, fix: 'Fix llm.models (MEDIC_LLM_MODELS), or pull the model on the server.' };
  // Each model is asked one tiny question in the shape a repair asks for: the call works, and the answer parses.
  const llmClient = openaiClient({ ...(c.llm.baseURL ? { baseURL: c.llm.baseURL } : {}), apiKey: key ?? '', timeoutMs, structured: c.llm.structured });
  const answers: string[] = [];
  for (const model of c.llm.models) {
    const started = performance.now();
    let reply;
    try {
      reply = await llmClient.chat({ model, messages: PROBE, schema: REPAIR_SCHEMA, maxTokens: 60 });
    } catch (error) {
      return { status: 'problem', detail: `${endpoint} lists ${model}, but a call to it failed: ${describeError(error)}`, fix: isLlmCallError(error) && error.fix ? error.fix : 'Run the call again; check the server logs.' };
    }
    const parsed = parseRepairAnswer(reply.text, 1);
    if (!parsed.ok) {
      return { status: 'warn', detail: `${model} at ${endpoint} answers, but not with usable JSON (${parsed.error}): every repair it answers would be rejected`, fix: 'Use a model that follows JSON instructions, or one the server gives structured outputs (llm.structured).' };
    }
    answers.push(`${model} ${Math.round(performance.now() - started)} ms${reply.structured ? '' : ' (no response format: parsed strictly)'}`);
  }
  // A model without a price counts as free: right for a local server, wrong for a paid one.
  const unpriced = c.llm.models.filter((m) => !c.llm!.prices[m]);
  if (unpriced.length && !c.llm.baseURL) {
    return { status: 'warn', detail: `${endpoint}: serves ${c.llm.models.join(', ')} and each answers a repair's JSON, but ${unpriced.join(', ')} has no price, so its calls count as free and llm.budgetUsd does not bound them`, fix: `Set llm.prices, e.g. { '${unpriced[0]}': { inputPerMTok: 0.15, outputPerMTok: 0.6 } }.` };
  }
  return { status: 'ok', detail: `${endpoint}: serves ${c.llm.models.join(', ')}; each answers a repair's JSON (${answers.join(', ')})` };
}

/**
 * The breakers a run starting now would meet. Each process has its own, which open at the first
 * failures of their backend (so what the probes above found is what they would do), and the
 * store shares the openings: a backend another process found down (`shared`) is skipped by every
 * process of the store until it may be tried again.
 */
function breakers(c: MedicConfig, probes: Record<'store' | 'vectors' | 'embedder' | 'llm', CheckStatus>, shared: BreakerState[] | string): Found {
  const parts: string[] = [];
  const open: string[] = [];
  // The openings of the backends this config names (a shared Redis may hold other projects' too).
  const targets: Record<string, string | undefined> = {
    chroma: c.vectors.kind === 'chroma' ? new URL(c.vectors.url!).origin : undefined,
    embedder: c.embedder.kind === 'openai' ? embedderTarget(c.embedder.baseURL, c.embedder.model!) : undefined,
  };
  const sharedOpen = typeof shared === 'string' ? [] : shared.filter((s) => (s.name in targets ? targets[s.name] === s.target : s.name !== 'llm' || c.llm !== undefined));
  const line = (name: string, failed: boolean, then: string) => {
    const published = sharedOpen.filter((s) => s.name === name);
    parts.push(`${name} ${published.length ? 'open in the store' : failed ? 'would open' : 'closed'}`);
    if (failed || published.length) open.push(`${name}: ${then}`);
  };
  if (c.store.kind === 'redis') line('redis', probes.store === 'problem', 'writes go to the spool');
  if (c.vectors.kind === 'chroma') line('chroma', probes.vectors === 'problem', 'similarity uses the local index');
  if (c.embedder.kind === 'openai') line('embedder', probes.embedder === 'problem', 'nothing is learnt from failure messages');
  if (c.llm) line('llm', probes.llm === 'problem', 'no LLM repairs');
  parts.push('app guard closed (it opens in a run when the application under test is down)');
  const published = sharedOpen.map((s) => `${s.name} ${s.target} opened by ${s.by} at ${s.openedAt} (${s.reason}), skipped by every process until ${s.until}`);
  if (typeof shared === 'string') parts.push(`shared breakers unknown (${shared})`);
  else if (published.length) parts.push(`shared: ${published.join('; ')}`);
  if (open.length) return { status: 'warn', detail: `${parts.join(', ')}; a run now: ${open.join('; ')}`, fix: 'Fix the problems above; the run itself goes on.' };
  return { status: 'ok', detail: parts.join(', ') };
}

/** The breakers open in the configured store (what its processes skip), or why they cannot be read. */
async function sharedBreakers(c: MedicConfig, baseDir: string, timeoutMs: number, storeStatus: CheckStatus): Promise<BreakerState[] | string> {
  if (c.store.kind === 'memory') return [];
  if (storeStatus === 'problem') return 'the store is not usable';
  try {
    if (c.store.kind === 'redis') {
      const redis = openRedisStore({ url: c.store.url!, keyPrefix: c.store.keyPrefix, connectTimeoutMs: timeoutMs });
      try {
        return await redis.listBreakers();
      } finally {
        await redis.close();
      }
    }
    const path = storePath(c, baseDir);
    if (!existsSync(path) || inspectSqlite(path).version < MIGRATIONS.length) return []; // no run of this version has written it yet
    const store = openSqliteStore({ path, busyTimeoutMs: c.store.busyTimeoutMs });
    try {
      return await store.listBreakers();
    } finally {
      await store.close();
    }
  } catch (error) {
    return describeError(error);
  }
}

async function checkSpool(c: MedicConfig, baseDir: string, fix: boolean, reachable: { store: boolean; vectors: boolean }): Promise<Found> {
  const path = spoolPath(c, baseDir);
  if (!existsSync(path)) return { status: 'ok', detail: `${path}: empty` };
  const parts = [await storeSpool(c, baseDir, path, fix, reachable.store), await vectorSpool(c, path, fix, reachable.vectors)].filter((p): p is Found => p !== undefined);
  if (!parts.length) return { status: 'ok', detail: `${path}: empty` };
  const worst = parts.find((p) => p.status === 'problem') ?? parts.find((p) => p.status === 'warn') ?? parts[0]!;
  const joined = (key: 'detail' | 'fix' | 'fixed') => parts.map((p) => p[key]).filter(Boolean).join('; ') || undefined;
  const fixText = joined('fix');
  const fixed = joined('fixed');
  return { status: worst.status, detail: `${path}: ${joined('detail')}`, ...(fixText ? { fix: fixText } : {}), ...(fixed ? { fixed } : {}) };
}

/** Writes waiting for a store; undefined when none waits and no store shares the spool. */
async function storeSpool(c: MedicConfig, baseDir: string, path: string, fix: boolean, storeReachable: boolean): Promise<Found | undefined> {
  if (c.store.kind !== 'redis') {
    const spool = Spool.open(path);
    try {
      const targets = spool.targets().filter((t) => !isVectorSpoolTarget(t));
      const waiting = targets.reduce((n, t) => n + spool.count(t), 0);
      if (!waiting) return undefined;
      return { status: 'warn', detail: `${waiting} writes wait for ${targets.join(', ')}, which is not the configured store`, fix: 'Set MEDIC_REDIS_URL to that store and run npx medic sync.' };
    } finally {
      spool.close();
    }
  }
  const store = openStore(c, baseDir, { spool: true, warn: () => undefined }) as SpooledStore;
  try {
    const waiting = store.waiting;
    const others = store.spool.count() - vectorWritesWaiting(store.spool) - waiting;
    const elsewhere = others ? `; ${others} more for other stores` : '';
    if (!waiting) return { status: 'ok', detail: `nothing waits for ${store.location}${elsewhere}` };
    const detail = `${waiting} writes wait for ${store.location}${elsewhere}`;
    if (!fix || !storeReachable) return { status: 'problem', detail, fix: storeReachable ? 'npx medic sync (or npx medic doctor --fix)' : 'Bring the store back (see above), then npx medic sync.' };
    const result = await store.replay();
    const fixed = `replayed: ${result.applied} written, ${result.left} still waiting${result.refused.length ? `, ${result.refused.length} refused (${result.refused.join('; ')})` : ''}`;
    return { status: result.left ? 'problem' : 'ok', detail, fixed, ...(result.left ? { fix: 'npx medic sync once the store answers again.' } : {}) };
  } finally {
    await store.close();
  }
}

/** Vector writes Chroma missed; undefined when none waits. */
async function vectorSpool(c: MedicConfig, path: string, fix: boolean, vectorsReachable: boolean): Promise<Found | undefined> {
  const spool = Spool.open(path);
  try {
    const waiting = vectorWritesWaiting(spool);
    if (!waiting) return undefined;
    if (c.vectors.kind !== 'chroma') return { status: 'warn', detail: `${waiting} vector writes wait for a Chroma server, which is not configured`, fix: 'Set MEDIC_CHROMA_URL to that server and run npx medic sync.' };
    const detail = `${waiting} vector writes wait for Chroma at ${c.vectors.url} (the local index has them)`;
    if (!fix || !vectorsReachable) return { status: 'problem', detail, fix: vectorsReachable ? 'npx medic sync (or npx medic doctor --fix)' : 'Bring Chroma back (see above), then npx medic sync.' };
    const result = await replayChromaSpool(spool, { url: c.vectors.url!, prefix: c.vectors.prefix });
    const elsewhere = result.elsewhere ? `, ${result.elsewhere} kept for another server or prefix` : '';
    const fixed = `sent: ${result.applied} vector writes, ${result.left} still waiting${elsewhere}${result.refused.length ? `, ${result.refused.length} refused (${result.refused.join('; ')})` : ''}`;
    return { status: result.left ? 'problem' : result.elsewhere ? 'warn' : 'ok', detail, fixed, ...(result.left ? { fix: 'npx medic sync once Chroma answers again.' } : {}) };
  } finally {
    spool.close();
  }
}

function checkDisk(c: MedicConfig, baseDir: string): Found {
  const paths = [...new Set([c.store.kind === 'sqlite' ? storePath(c, baseDir) : spoolPath(c, baseDir), c.report.dir].map((p) => nearestFolder(p, baseDir)))];
  const parts: string[] = [];
  let least = Infinity;
  for (const folder of paths) {
    const fs = statfsSync(folder);
    const free = fs.bavail * fs.bsize;
    least = Math.min(least, free);
    parts.push(`${folder}: ${formatBytes(free)} free of ${formatBytes(fs.blocks * fs.bsize)}`);
  }
  const detail = parts.join('; ');
  if (least < DISK_MIN_FREE_BYTES) return { status: 'problem', detail, fix: `Free at least ${formatBytes(DISK_MIN_FREE_BYTES)} there, or point store.path and report.dir at another disk.` };
  if (least < DISK_LOW_FREE_BYTES) return { status: 'warn', detail, fix: 'The disk is nearly full: free some space.' };
  return { status: 'ok', detail };
}

/** The nearest folder of `path` that exists (the store's folder may not be created yet). */
function nearestFolder(path: string, baseDir: string): string {
  let folder = dirname(path.startsWith('/') ? path : `${baseDir}/${path}`);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
