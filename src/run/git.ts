import { spawnSync } from 'node:child_process';

export type GitInfo = { sha: string | null; branch: string | null };

/** The commit and branch of `cwd`, from git, else from common CI variables; nulls when unknown. */
export function gitInfo(cwd: string, env: NodeJS.ProcessEnv = process.env): GitInfo {
  const sha = git(cwd, ['rev-parse', 'HEAD']) ?? env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? env.GIT_COMMIT ?? null;
  let branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  if (branch === 'HEAD') branch = null; // detached, as on most CI checkouts
  branch ??= env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || env.GIT_BRANCH || null;
  return { sha, branch };
}

function git(cwd: string, args: string[]): string | null {
  try {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const out = result.status === 0 ? result.stdout.trim() : '';
    return out || null;
  } catch {
    return null;
  }
}
