// Writes a temporary Playwright project that depends on this package (as a user's would,
// through node_modules) and runs the real `playwright test` in it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type InlineProject = {
  dir: string;
  /** Runs `playwright test`; with `killAfterMs`, a run still going then is stopped (SIGKILL) and its output ends with a line saying so. */
  run(args?: string[], env?: NodeJS.ProcessEnv, user?: { uid?: number; gid?: number }, killAfterMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }>;
  remove(): void;
};

/** `files` maps relative paths to contents. The project sees `playwright-medic` and `@playwright/test`. */
export function writeInlineProject(files: Record<string, string>): InlineProject {
  const dir = mkdtempSync(join(tmpdir(), 'medic-project-'));
  mkdirSync(join(dir, 'node_modules', '@playwright'), { recursive: true });
  symlinkSync(repoRoot, join(dir, 'node_modules', 'playwright-medic'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules', '@playwright', 'test'), join(dir, 'node_modules', '@playwright', 'test'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return {
    dir,
    run(args = [], env = {}, user = {}, killAfterMs) {
      const cli = join(repoRoot, 'node_modules', '@playwright', 'test', 'cli.js');
      const child = spawn(process.execPath, [cli, 'test', ...args], {
        cwd: dir,
        env: { ...withoutMedicEnv(process.env), FORCE_COLOR: '0', ...(user.uid === undefined ? {} : { HOME: dir }), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...user,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer =
        killAfterMs === undefined
          ? undefined
          : setTimeout(() => {
              stderr += `\n(inlineProject: still running after ${killAfterMs} ms: killed)\n`;
              child.kill('SIGKILL');
            }, killAfterMs);
      return new Promise((done, fail) => {
        child.on('error', fail);
        child.on('close', (code) => {
          clearTimeout(timer);
          done({ code, stdout, stderr });
        });
      });
    },
    remove() {
      if (process.env.MEDIC_KEEP_PROJECTS) return console.log(`kept ${dir}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The parent's MEDIC_* variables would leak into the project under test. */
function withoutMedicEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('MEDIC_')));
}
