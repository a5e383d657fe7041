import { execFileSync } from 'node:child_process';

/**
 * Runs git in `dir` as `author` (name `author`, email `author@example.com`), for tests and
 * benches that build a history of their own. Returns the trimmed output.
 * @example gitAs(dir, ['commit', '-q', '-m', 'change'], 'bob')
 */
export function gitAs(dir: string, args: string[], author = 'ann'): string {
  const email = `${author}@example.com`;
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: email },
  }).trim();
}
