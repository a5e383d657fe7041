import { z } from 'zod';

const storeSchema = z
  .object({
    /** `sqlite` (embedded file, the default), `redis` (a server shared by many machines) or `memory` (nothing kept after the process). */
    kind: z.enum(['sqlite', 'redis', 'memory']).default('sqlite'),
    /** The SQLite file, relative to the Playwright config's folder. */
    path: z.string().min(1).default('.medic/medic.db'),
    /** How long a writer waits for a lock held by another process, in ms. */
    busyTimeoutMs: z.number().int().min(0).max(600_000).default(10_000),
    /** The Redis server of `kind: 'redis'`: `redis://[user:password@]host[:port][/db]` or `rediss://` (TLS). */
    url: z.string().regex(/^rediss?:\/\/[^\s]+$/, 'expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379').optional(),
    /** Put before every Redis key, so one server can hold several stores. */
    keyPrefix: z.string().min(1).default('medic:'),
    /** Where writes wait while the Redis server is unreachable (a SQLite file, relative to the Playwright config's folder). */
    spoolPath: z.string().min(1).default('.medic/spool.db'),
  })
  .strict()
  .refine((store) => store.kind !== 'redis' || store.url !== undefined, {
    message: "kind 'redis' needs the server's url, e.g. store: { kind: 'redis', url: 'redis://127.0.0.1:6379' } (or MEDIC_REDIS_URL)",
    path: ['url'],
  });

const vectorsSchema = z
  .object({
    /** `local` (vectors kept in the knowledge store, exact search; the default) or `chroma` (a Chroma server, with the local index as fallback). */
    kind: z.enum(['local', 'chroma']).default('local'),
    /** The Chroma server of `kind: 'chroma'`, e.g. `http://127.0.0.1:8000`. */
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL of a Chroma server, e.g. http://127.0.0.1:8000' }).optional(),
    /** Put before every Chroma collection name, so one server can hold several stores. */
    prefix: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, 'letters, digits, dot, dash or underscore, starting with a letter or digit').default('medic-'),
  })
  .strict()
  .refine((vectors) => vectors.kind !== 'chroma' || vectors.url !== undefined, {
    message: "kind 'chroma' needs the server's url, e.g. vectors: { kind: 'chroma', url: 'http://127.0.0.1:8000' } (or MEDIC_CHROMA_URL)",
    path: ['url'],
  });

const embedderSchema = z
  .object({
    /** `hashing` (offline, the default) or `openai` (any OpenAI-compatible Embeddings endpoint). */
    kind: z.enum(['hashing', 'openai']).default('hashing'),
    /** The endpoint of `kind: 'openai'`, e.g. http://localhost:11434/v1; unset: the OpenAI API. */
    baseURL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL, e.g. http://localhost:11434/v1' }).optional(),
    /** Name of the environment variable holding the API key (never the key itself). */
    apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
    /** The embedding model of `kind: 'openai'`, e.g. text-embedding-3-small. */
    model: z.string().min(1).optional(),
    /** The length of the model's vectors (1536 for text-embedding-3-small); answers are checked against it. */
    dimension: z.number().int().min(1).max(65536).optional(),
    /** Texts per request. */
    batchSize: z.number().int().min(1).max(2048).default(64),
    timeoutMs: z.number().int().positive().default(30_000),
  })
  .strict()
  .refine((e) => e.kind !== 'openai' || (e.model !== undefined && e.dimension !== undefined), {
    message: "kind 'openai' needs the model and its dimension, e.g. embedder: { kind: 'openai', model: 'text-embedding-3-small', dimension: 1536 }",
    path: ['model'],
  });

const healingSchema = z
  .object({
    /** `heal`: relocate and continue; `suggest`: relocate, report, but fail the step; `off`. */
    mode: z.enum(['heal', 'suggest', 'off']).default('heal'),
    /** Minimum confidence (0–1) for a heal to be accepted; unset: the value fitted with the shipped model. */
    threshold: z.number().min(0).max(1).optional(),
    /** Minimum confidence gap between the best candidate and the runner-up; unset: the fitted value. */
    minMargin: z.number().min(0).max(1).optional(),
    /** Strict CI: a test that needed a heal fails at its end (the heal is still reported). */
    failOnHeal: z.boolean().default(false),
  })
  .strict();

const reportSchema = z
  .object({
    /** Folder of the HTML learning report, relative to the Playwright config's folder. */
    dir: z.string().min(1).default('.medic/report'),
    /** Print the end-of-run summary in the terminal. */
    summary: z.boolean().default(true),
    /** Write the HTML learning report (`<dir>/index.html`) after each run. */
    html: z.boolean().default(true),
    /** Also write the run as CTRF JSON (`<dir>/ctrf.json`) after each run. */
    ctrf: z.boolean().default(false),
    /** Runs the report's trends and history strips cover. */
    runs: z.number().int().min(1).max(500).default(30),
  })
  .strict();

const riskSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** How many of the riskiest tests to show before the suite. */
    topK: z.number().int().min(0).max(1000).default(10),
    /**
     * Pre-flight before the suite: `auto` checks the stale selectors when some test's risk is at
     * least `preflightRisk`; `always` checks every catalogued selector; `off` (or false). Selectors
     * no longer found are relocated and recorded as known fixes. true means `auto`.
     */
    preflight: z
      .union([z.boolean(), z.enum(['auto', 'always', 'off'])])
      .default('auto')
      .transform((v) => (v === true ? 'auto' : v === false ? 'off' : v)),
    /** The risk at which `preflight: 'auto'` runs. */
    preflightRisk: z.number().min(0).max(1).default(0.5),
    /**
     * What the fixture records of the page where it captures an element, so pre-flight opens the
     * page as the test saw it: `url` its address (path, query, hash); `storage` also its
     * localStorage and sessionStorage (up to 16 kB with each captured element; kept in the store
     * and in the tests' learning attachments: leave it off where they hold tokens);
     * `off` nothing (pre-flight opens the page's key).
     */
    preflightState: z.enum(['url', 'storage', 'off']).default('url'),
    /** The most time pre-flight may take before the suite (ms). */
    preflightBudgetMs: z.number().int().positive().default(20_000),
    /** Where the predictions are written, relative to the Playwright config's folder. */
    file: z.string().min(1).default('.medic/risk.json'),
  })
  .strict();

const priceSchema = z
  .object({
    /** USD per million prompt tokens. */
    inputPerMTok: z.number().min(0),
    /** USD per million completion tokens. */
    outputPerMTok: z.number().min(0),
  })
  .strict();

const llmSchema = z
  .object({
    /** Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1; unset: the OpenAI API. */
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** Name of the environment variable holding the API key (never the key itself). */
    apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
    /** The models to choose from; with no history, the cheapest (by `prices`) is tried first. */
    models: z.array(z.string().min(1)).min(1, 'name at least one model'),
    /** Most USD the calls of one run may cost (all its workers together); calls stop when it is reached. */
    budgetUsd: z.number().min(0).default(1),
    /** Most USD the calls of one day (UTC) may cost, all runs of the project together. */
    dailyBudgetUsd: z.number().min(0).default(5),
    /** Per call. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** USD per million tokens, by model; a model without a price counts as free (a local server). */
    prices: z.record(z.string().min(1), priceSchema).default({}),
    /**
     * How the answer's JSON shape is asked for: `auto` sends the json_schema response format
     * and drops it for a server that refuses it; every answer is parsed strictly either way.
     */
    structured: z.enum(['auto', 'json_schema', 'json_object', 'none']).default('auto'),
    /** Locator repair: ask when the ranker abstains (on/off). */
    repair: z.boolean().default(true),
    /** The ranker's best candidates shown to the model. */
    maxCandidates: z.number().int().min(2).max(30).default(8),
    /**
     * The least probability the ranker must give a model's pick (among the shown candidates) for
     * it to be used: a model may choose among what the ranker finds plausible, not overrule it.
     * 0.4 keeps a plausibly wrong model to 1 wrong heal in 24 tries on the healing benchmark
     * (`npm run bench:heal-llm`), and lets a right one heal 11 of the 31 cases the ranker abstains on.
     */
    minSupport: z.number().min(0).max(1).default(0.4),
    /**
     * Whether a heal the model chose waits for a human in `medic review` (its known fix is not
     * reused until accepted): `true` by default; `false` trusts it like any other heal.
     */
    reviewHeals: z.boolean().default(true),
    /** Failure summaries: a root-cause hypothesis per failure pattern, after the run (on/off). */
    summaries: z.boolean().default(true),
    /** The most patterns summarised after one run (the newest first; the rest wait for later runs). */
    maxSummaries: z.number().int().min(0).default(5),
    /** Failed calls in a row that open the breaker (no calls for `halfOpenAfterMs`). */
    breakAfter: z.number().int().min(1).default(3),
    halfOpenAfterMs: z.number().int().min(0).default(60_000),
  })
  .strict();

/** Every option of playwright-medic; all optional, defaults filled in. */
export const medicConfigSchema = z
  .object({
    /** Namespace of this suite's knowledge (shared stores hold many projects). */
    project: z.string().min(1).default('default'),
    /**
     * What makes the shards of one CI build one run for the selector catalog (each selector
     * counts once per page per run, however many shards and workers used it). Unset: the build
     * id of common CI services (GitHub Actions, GitLab, CircleCI, Buildkite, Jenkins, Azure) when
     * the run is sharded, else each run is its own.
     */
    runGroup: z.string().min(1).max(200).optional(),
    store: storeSchema.default(storeSchema.parse({})),
    /** Where the vectors of failure and success patterns are searched. */
    vectors: vectorsSchema.default(vectorsSchema.parse({})),
    /** What turns failure messages and success patterns into vectors. */
    embedder: embedderSchema.default(embedderSchema.parse({})),
    healing: healingSchema.default(healingSchema.parse({})),
    report: reportSchema.default(reportSchema.parse({})),
    risk: riskSchema.default(riskSchema.parse({})),
    /** The optional LLM layer (src/llm): off unless configured. */
    llm: llmSchema.optional(),
    /** Print nothing but warnings. */
    quiet: z.boolean().default(false),
  })
  .strict();

/** Options as a user writes them (everything optional). */
export type MedicOptions = z.input<typeof medicConfigSchema>;
/** Options after defaults and environment overrides. */
export type MedicConfig = z.output<typeof medicConfigSchema>;
