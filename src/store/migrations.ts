/**
 * The SQLite schema, one entry per version (PRAGMA user_version). Append only: never edit a
 * migration that has shipped. Full records live in `data` (JSON, validated on read); the
 * other columns exist for indexes and queries.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs and attempts
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX runs_by_project ON runs (project, started_at);
  CREATE TABLE attempts (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    test_id TEXT NOT NULL,
    retry INTEGER NOT NULL,
    test_key TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    category TEXT,
    signature TEXT,
    started_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, test_id, retry)
  );
  CREATE INDEX attempts_by_test ON attempts (test_key, started_at);
  CREATE INDEX attempts_by_signature ON attempts (signature);
  `,
  // 2: the selector catalog and heal events
  `
  CREATE TABLE selectors (
    project TEXT NOT NULL,
    page_key TEXT NOT NULL,
    selector TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, page_key, selector)
  );
  CREATE INDEX selectors_by_project ON selectors (project, last_seen);
  CREATE TABLE heals (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    project TEXT NOT NULL,
    test_key TEXT NOT NULL,
    review TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, id)
  );
  CREATE INDEX heals_by_project ON heals (project, at);
  CREATE INDEX heals_by_test ON heals (test_key, at);
  CREATE INDEX heals_by_review ON heals (review, at);
  `,
  // 3: failure patterns, and vectors of the local vector index (src/vector), float32 little-endian
  `
  CREATE TABLE failure_patterns (
    project TEXT NOT NULL,
    id TEXT NOT NULL,
    category TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, id)
  );
  CREATE INDEX failure_patterns_by_seen ON failure_patterns (project, last_seen);
  CREATE TABLE vectors (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    embedder TEXT NOT NULL,
    metadata TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (collection, id)
  );
  `,
  // 4: strategy executions (the strategy performance tracker), newest EXECUTIONS_KEPT per (project, strategy, task_type); success patterns
  `
  CREATE TABLE success_patterns (
    project TEXT NOT NULL,
    id TEXT NOT NULL,
    feature TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, id)
  );
  CREATE TABLE strategy_executions (
    project TEXT NOT NULL,
    run_id TEXT NOT NULL,
    strategy TEXT NOT NULL,
    task_type TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX strategy_executions_by_key ON strategy_executions (project, strategy, task_type, at);
  CREATE INDEX strategy_executions_by_run ON strategy_executions (run_id);
  `,
  // 5: ids of the selector batches applied (a retried batch counts once)
  `
  CREATE TABLE applied_batches (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL
  );
  `,
  // 6: circuit breakers of the backends, shared by the processes of this machine (hot state)
  `
  CREATE TABLE breakers (
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    until TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (name, target)
  );
  `,
  // 7: risk predictions with their outcomes (src/risk/predictions.ts), one per (project, run, test);
  // a project keeps those of its newest PREDICTION_RUNS_KEPT runs, a run's time the latest `at` of its predictions
  `
  CREATE TABLE risk_predictions (
    project TEXT NOT NULL,
    run_id TEXT NOT NULL,
    test_key TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, run_id, test_key)
  );
  CREATE INDEX risk_predictions_by_project ON risk_predictions (project, at);
  CREATE INDEX risk_predictions_by_run ON risk_predictions (run_id);
  `,
  // 8: fitted models (src/store/models.ts), one per (project, name), replaced whole
  `
  CREATE TABLE models (
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, name)
  );
  `,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** PRAGMA application_id of a playwright-medic database ("MEDC"). */
export const APPLICATION_ID = 0x4d454443;
