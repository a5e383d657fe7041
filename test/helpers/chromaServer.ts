// A real Chroma server for tests: MEDIC_TEST_CHROMA_URL when set, else one of our own started
// by the project's script (`scripts/chroma.mjs`, the glibc recipe included) on a free port with
// a fresh data folder. None: the tests skip locally, and fail when CI is set.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';
import { repoRoot } from './inlineProject.js';

export type ChromaServer = {
  url: string;
  process?: ChildProcess;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
  /** Stops the server, keeping its data (a server that went down); `restart` brings it back. */
  halt?(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart?(): Promise<void>;
};

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** Runs the project's Chroma script on `port` over `dir`; resolves once it answers (the first start may download libraries). */
async function spawnChroma(port: number, dir: string): Promise<{ child: ChildProcess; halt: () => Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'chroma.mjs'), '--path', dir, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MEDIC_CHROMA_EXIT_WITH_PARENT: '1' }, // a test process that dies takes its server with it
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM'); // the script stops Chroma with SIGINT
      await exited;
    }
  };
  for (let waited = 0; waited < 180_000; waited += 200) {
    if (await answers(url)) return { child, halt };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await halt();
  throw new Error(`the Chroma server did not start on ${url}:\n${stderr.slice(-2000)}`);
}

/** Starts the project's Chroma server on a free port with a fresh data folder. */
export async function startChroma(): Promise<ChromaServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'medic-chroma-'));
  let running: Awaited<ReturnType<typeof spawnChroma>> | undefined;
  try {
    running = await spawnChroma(port, dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const server: ChromaServer = {
    url: `http://127.0.0.1:${port}`,
    process: running.child,
    async halt() {
      await running?.halt();
      running = undefined;
    },
    async restart() {
      await running?.halt();
      running = await spawnChroma(port, dir);
      server.process = running.child;
    },
    async stop() {
      await running?.halt();
      running = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * The Chroma server the tests of a file use; undefined (skip) only when CI is not set.
 * @example const chroma = await findChroma(); describe.skipIf(!chroma)(…)
 */
export async function findChroma(): Promise<ChromaServer | undefined> {
  const given = process.env.MEDIC_TEST_CHROMA_URL;
  if (given) {
    if (await answers(given)) return { url: given, stop: async () => undefined };
    throw new Error(`MEDIC_TEST_CHROMA_URL=${given} does not answer /api/v2/heartbeat.`);
  }
  try {
    return await startChroma();
  } catch (error) {
    if (process.env.CI) throw error;
    console.warn(`skipping the Chroma tests: ${(error as Error).message}`);
    return undefined;
  }
}
