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

/**
 * The build of a CI service the run is part of (its shards share it), from the service's own
 * variables; null outside CI or on a service not known here (set MEDIC_RUN_GROUP there).
 * @example ciBuildId({ GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' }) // 'github:42.1'
 */
export function ciBuildId(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GITHUB_RUN_ID) return `github:${env.GITHUB_RUN_ID}.${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  if (env.CI_PIPELINE_ID) return `gitlab:${env.CI_PIPELINE_ID}`;
  if (env.CIRCLE_WORKFLOW_ID) return `circleci:${env.CIRCLE_WORKFLOW_ID}`;
  if (env.BUILDKITE_BUILD_ID) return `buildkite:${env.BUILDKITE_BUILD_ID}`;
  if (env.BUILD_BUILDID && env.SYSTEM_TEAMPROJECTID) return `azure:${env.SYSTEM_TEAMPROJECTID}.${env.BUILD_BUILDID}`;
  if (env.BUILD_TAG && env.JENKINS_URL) return `jenkins:${env.BUILD_TAG}`;
  return null;
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
