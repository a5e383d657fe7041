import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';

/** Lockfiles whose change means the installed dependencies changed. */
export const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock']);

/** Files changed since a commit, each with who changed it (`working tree` for uncommitted changes). */
export type Changes = Map<string, Set<string>>;

/**
 * Read-only git queries for risk scoring, in one repository, with paths relative to the
 * Playwright config's `rootDir` (what the store's test records use); files outside it keep a
 * `../` path. Each distinct query runs once (cached). Never throws: an answer git cannot give
 * (not a repository, a commit that is not here after a shallow clone) is `undefined`.
 * @example const git = openGit(config.rootDir); git?.changedSince(lastGreenSha)
 */
export function openGit(rootDir: string, options: { timeoutMs?: number } = {}) {
  const run = (args: string[]): string | undefined => {
    try {
      const result = spawnSync('git', ['-c', 'core.quotePath=false', ...args], { cwd: rootDir, encoding: 'utf8', timeout: options.timeoutMs ?? 10_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
      return result.status === 0 ? result.stdout : undefined;
    } catch {
      return undefined;
    }
  };
  const top = run(['rev-parse', '--show-toplevel'])?.trim();
  if (!top) return undefined;
  // git answers with the real path of the repository: compare it with rootDir's (a symlinked workspace).
  const realRoot = (() => {
    try {
      return realpathSync(rootDir);
    } catch {
      return rootDir;
    }
  })();
  const fromTop = (path: string) => relative(realRoot, resolve(top, path)).split(sep).join('/');
  const lines = (out: string) => out.split('\n').map((l) => l.trim()).filter(Boolean);
  // A commit id, never an option or a revision expression (git answers an unknown one with an error).
  const isSha = (sha: string) => /^[0-9a-f]{4,64}$/i.test(sha);

  let working: string[] | undefined;
  /** Uncommitted and untracked files (the same for every commit asked about). */
  const workingTree = () =>
    (working ??= [...lines(run(['diff', '--no-renames', '--name-only', 'HEAD']) ?? ''), ...lines(run(['ls-files', '--others', '--exclude-standard', '--full-name', ':/']) ?? '')]);
  const since = new Map<string, Changes | undefined>();
  const between = new Map<string, string[] | undefined>();
  return {
    head: run(['rev-parse', 'HEAD'])?.trim(),
    /** Files changed from `sha` to the working tree (commits, uncommitted and untracked files), with their authors. */
    changedSince(sha: string): Changes | undefined {
      if (since.has(sha)) return since.get(sha);
      let changes: Changes | undefined;
      // One record per commit: \x1e, the author's email, then the files it touched.
      const log = isSha(sha) ? run(['log', '--no-renames', '--format=%x1e%ae', '--name-only', `${sha}..HEAD`]) : undefined;
      if (log !== undefined) {
        changes = new Map();
        const add = (file: string, author: string) => {
          const key = fromTop(file);
          let authors = changes!.get(key);
          if (!authors) changes!.set(key, (authors = new Set()));
          authors.add(author);
        };
        for (const record of log.split('\x1e').slice(1)) {
          const [author = '', ...files] = lines(record);
          for (const file of files) add(file, author.toLowerCase());
        }
        for (const file of workingTree()) add(file, 'working tree');
      }
      since.set(sha, changes);
      return changes;
    },
    /** Files that differ between two commits. */
    changedBetween(from: string, to: string): string[] | undefined {
      const key = `${from}..${to}`;
      if (!between.has(key)) {
        const out = isSha(from) && isSha(to) ? run(['diff', '--no-renames', '--name-only', from, to]) : undefined;
        between.set(key, out === undefined ? undefined : lines(out).map(fromTop));
      }
      return between.get(key);
    },
  };
}

export type Git = NonNullable<ReturnType<typeof openGit>>;

/** Whether a path (relative to rootDir) is a lockfile. */
export const isLockfile = (path: string) => LOCKFILES.has(path.split('/').pop() ?? path);
