// The engine's public API, re-exported by the package entry (fixtures/index.ts).
export { defineMedicConfig, resolveMedicConfig, ENV_OVERRIDES, medicConfigSchema } from './config/index.js';
export type { MedicConfig, MedicOptions } from './config/index.js';
export { chromiumLaunchOptions, findChromium, SYSTEM_CHROMIUM_ARGS } from './browser/chromium.js';
export { MedicError, MedicConfigError, MedicStoreError, MedicBrowserError, isMedicError } from './errors.js';
export { learnFailures, suggestFixStrategy } from './learning/patternLearner.js';
export type { FixSuggestion, PatternDeps } from './learning/patternLearner.js';
export type { FailurePattern, KnownFix } from './learning/failurePatterns.js';
export { assessFlakiness } from './learning/flakiness.js';
export type { FlakinessOptions, FlakyState, TestFlakiness } from './learning/flakiness.js';
export { loadHistory } from './learning/history.js';
export { hashingEmbedder } from './vector/embedder.js';
export type { Embedder } from './vector/embedder.js';
export { localIndex } from './vector/localIndex.js';
export type { VectorIndex, VectorHit } from './vector/VectorIndex.js';
export { openStore } from './store/open.js';
export type { KnowledgeStore } from './store/KnowledgeStore.js';
