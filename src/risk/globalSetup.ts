import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FullConfig } from '@playwright/test';
import { resolveMedicConfig, type MedicConfig } from '../config/index.js';
import { describeError, isMedicStoreError } from '../errors.js';
import { openStore, storePath } from '../store/open.js';
import type { KnowledgeStore } from '../store/KnowledgeStore.js';
import { shareRiskReport } from './handoff.js';
import { loadRiskModel } from './learnModel.js';
import { predictRisk } from './predict.js';
import { preflight, preflightRecords, type PreflightResult } from './preflight.js';
import { formatRiskTable, writeRiskReport, type RiskReport } from './riskReport.js';

// Playwright gives reporter entries as resolved file paths; ours is this package's reporter module.
const OUR_REPORTERS = ourReporters();

function realpath(path: string): string {
  return existsSync(path) ? realpathSync(path) : path;
}

/**
 * The files of this package's reporter: what its `./reporter` export names (the bundle), and
 * tsc's module beside it; found from the package's manifest above this module (or the bundle
 * chunk that holds it).
 */
function ourReporters(): Set<string> {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; exports?: Record<string, { default?: string } | string> };
    if (pkg.name !== 'playwright-medic') continue;
    const entry = pkg.exports?.['./reporter'];
    const target = typeof entry === 'string' ? entry : entry?.default;
    return new Set([...(target ? [join(dir, target)] : []), join(dir, 'dist', 'reporter', 'index.js')].map(realpath));
  }
  return new Set();
}

function isOurReporter(name: string): boolean {
  return name === 'playwright-medic/reporter' || OUR_REPORTERS.has(realpath(name));
}

/** The medic options of a Playwright config: from the medic reporter entry, else from `use.medic`. */
export function medicOptionsOf(config: FullConfig): unknown {
  const entry = config.reporter.find(([name]) => isOurReporter(name));
  if (entry) return entry[1];
  for (const project of config.projects) {
    const use = project.use as { medic?: unknown };
    if (use.medic !== undefined) return use.medic;
  }
  return undefined;
}

/** Where the predictions go: `.medic/risk.json` beside the store's default folder, from the Playwright config's folder. */
export function riskPath(config: MedicConfig, baseDir: string): string {
  return isAbsolute(config.risk.file) ? config.risk.file : resolve(baseDir, config.risk.file);
}

/**
 * Scores every known test's risk from the store and git, prints the riskiest, writes
 * risk.json. Never fails the suite: its own error is one warning. Undefined when risk is off,
 * or when there is no history to read yet.
 */
export async function scoreSuite(config: FullConfig, medic: MedicConfig, log: (line: string) => void = console.log): Promise<RiskReport | undefined> {
  if (!medic.risk.enabled) return undefined;
  const baseDir = config.configFile ? dirname(config.configFile) : config.rootDir;
  // The medic reporter warns about an unusable store once; the global setup then says nothing more of it.
  const reporterWarns = (config.reporter ?? []).some(([name]) => isOurReporter(name));
  try {
    if (medic.store.kind === 'sqlite' && !existsSync(storePath(medic, baseDir))) return undefined; // first run: nothing known yet
    let store: KnowledgeStore;
    try {
      store = openStore(medic, baseDir);
    } catch (error) {
      if (reporterWarns && isMedicStoreError(error)) return undefined;
      throw error;
    }
    try {
      const model = await loadRiskModel(store, medic.project);
      const report = await predictRisk(store, { project: medic.project, rootDir: config.rootDir, playwrightVersion: config.version, model });
      writeRiskReport(riskPath(medic, baseDir), report);
      if (!medic.quiet && medic.risk.topK > 0 && report.tests.length) log(formatRiskTable(report, medic.risk.topK));
      // Pre-flight's own failure (no browser, an app that is down) loses nothing of the scores.
      const checked = await preflightSuite(config, medic, store, report).catch((error: unknown) => {
        console.warn(`medic: pre-flight skipped (the suite runs as usual): ${describeError(error)}`);
        return undefined;
      });
      if (checked && !medic.quiet) log(formatPreflight(checked));
      return report;
    } finally {
      await store.close();
    }
  } catch (error) {
    console.warn(`medic: risk scoring skipped (the suite runs as usual): ${describeError(error)}`);
    return undefined;
  }
}

/** Pre-flight of the catalogued selectors (see `preflight`) with the first Playwright project that has a baseURL; undefined when there is nothing to check. */
async function preflightSuite(config: FullConfig, medic: MedicConfig, store: KnowledgeStore, report: RiskReport): Promise<PreflightResult | undefined> {
  if (medic.risk.preflight === 'off') return undefined;
  const catalog = await store.listSelectors({ project: medic.project });
  const records = preflightRecords(catalog, report.tests[0]?.score ?? 0, medic.risk.preflight, medic.risk.preflightRisk, new Date());
  const use = (config.projects ?? []).map((p) => p.use).find((u) => typeof u?.baseURL === 'string');
  if (!records.length || !use?.baseURL) return undefined;
  const context = { storageState: use.storageState, httpCredentials: use.httpCredentials, ignoreHTTPSErrors: use.ignoreHTTPSErrors, extraHTTPHeaders: use.extraHTTPHeaders };
  return preflight(store, {
    project: medic.project,
    baseURL: use.baseURL,
    ...(use.browserName ? { browserName: use.browserName } : {}),
    launchOptions: { ...use.launchOptions, ...(use.channel ? { channel: use.channel } : {}) },
    contextOptions: Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)),
    ...(use.testIdAttribute ? { testIdAttribute: use.testIdAttribute } : {}),
    state: medic.risk.preflightState,
    records,
    catalog,
    budgetMs: medic.risk.preflightBudgetMs,
    rankOptions: {
      ...(medic.healing.threshold === undefined ? {} : { threshold: medic.healing.threshold }),
      ...(medic.healing.minMargin === undefined ? {} : { minMargin: medic.healing.minMargin }),
    },
  });
}

function formatPreflight(r: PreflightResult): string {
  const lines = [
    `medic pre-flight: ${r.checked} selectors on ${r.pages} pages in ${(r.ms / 1000).toFixed(1)} s: ${r.verified} still there, ${r.healed.length} healed before the suite, ${r.missing.length} not found${r.skipped ? `, ${r.skipped} pages skipped` : ''}${r.unchecked ? `, ${r.unchecked} selectors not checked` : ''}`,
  ];
  for (const h of r.healed) lines.push(`  ${h.pageKey}: ${h.from} → ${h.to} (confidence ${h.confidence.toFixed(2)})`);
  return lines.join('\n');
}

/**
 * Playwright `globalSetup`: validates playwright-medic's configuration before any test starts
 * (an invalid option stops the run with its fix), then scores each known test's risk of failing:
 * the riskiest are printed with their top factors and all are written to `.medic/risk.json`.
 * @example globalSetup: 'playwright-medic/global-setup'
 */
export default async function globalSetup(config: FullConfig): Promise<MedicConfig> {
  const medic = resolveMedicConfig(medicOptionsOf(config));
  shareRiskReport(await scoreSuite(config, medic)); // the reporter stores each prediction with its outcome
  return medic;
}
