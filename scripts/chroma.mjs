#!/usr/bin/env node
// `npm run chroma -- --path .medic/chroma --port 8000`: a local Chroma server (the one the
// chromadb package ships) for development and CI, in the foreground; Ctrl-C, SIGINT or SIGTERM
// stop it cleanly (Chroma itself only stops on SIGINT).
//
// Its native binding needs glibc ≥ 2.39. On an older glibc (Debian 12 has 2.36) the script
// downloads libc6, libstdc++6 and libgcc-s1 of Debian's next release with apt (from the mirror
// this machine's apt sources already name), unpacks them into a cache folder
// (MEDIC_CHROMA_LIBS, default ~/.cache/playwright-medic/chroma-libs) and starts the server with
// that folder's dynamic loader. Nothing is installed on the system.
import { spawn, spawnSync } from 'node:child_process';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const NEEDED_GLIBC = [2, 39];
const NEXT_RELEASE = 'trixie';
const PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];

function fail(message) {
  console.error(`chroma: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { path: '.medic/chroma', port: 8000, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--path' && value) options.path = value;
    else if (flag === '--port' && /^\d+$/.test(value ?? '') && Number(value) > 0 && Number(value) < 65536) options.port = Number(value);
    else if (flag === '--host' && value) options.host = value;
    else fail(`unknown or incomplete option ${argv[i - (inline === undefined ? 1 : 0)] ?? flag}\nusage: npm run chroma -- [--path DIR] [--port N] [--host H]`);
  }
  return options;
}

function glibcVersion() {
  const out = spawnSync('ldd', ['--version'], { encoding: 'utf8' });
  const match = /(\d+)\.(\d+)/.exec(`${out.stdout}${out.stderr}`.split('\n')[0] ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const newEnough = (v) => v !== undefined && (v[0] > NEEDED_GLIBC[0] || (v[0] === NEEDED_GLIBC[0] && v[1] >= NEEDED_GLIBC[1]));

/** The mirror apt already uses for Debian's main archive (deb822 or one-line sources). */
function debianMirror() {
  const deb822 = '/etc/apt/sources.list.d/debian.sources';
  if (existsSync(deb822)) {
    const uri = /^URIs:\s*(\S+)/m.exec(readFileSync(deb822, 'utf8'))?.[1];
    if (uri) return uri;
  }
  if (existsSync('/etc/apt/sources.list')) {
    const uri = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+\s+main/m.exec(readFileSync('/etc/apt/sources.list', 'utf8'))?.[1];
    if (uri) return uri;
  }
  return undefined;
}

/** The folder of newer libraries (downloaded once); its loader and library path. */
function newerLibraries() {
  const cache = resolve(process.env.MEDIC_CHROMA_LIBS ?? join(homedir(), '.cache', 'playwright-medic', 'chroma-libs'));
  const lib = join(cache, 'root', 'usr', 'lib', 'x86_64-linux-gnu');
  const loader = join(lib, 'ld-linux-x86-64.so.2');
  if (existsSync(loader) && existsSync(join(lib, 'libstdc++.so.6'))) return { loader, lib };
  if (process.arch !== 'x64') fail(`glibc is older than ${NEEDED_GLIBC.join('.')} and this script only knows how to fetch newer libraries for x86-64.`);
  const mirror = debianMirror();
  if (!mirror || !existsSync('/usr/bin/apt-get')) fail(`glibc is older than ${NEEDED_GLIBC.join('.')} and this is not a Debian system with apt: run Chroma elsewhere (e.g. its Docker image) and set MEDIC_CHROMA_URL.`);
  console.error(`chroma: glibc is older than ${NEEDED_GLIBC.join('.')}; fetching ${PACKAGES.join(', ')} of Debian ${NEXT_RELEASE} into ${cache}`);
  rmSync(cache, { recursive: true, force: true });
  const parts = join(cache, 'sources');
  for (const dir of [parts, join(cache, 'lists', 'partial'), join(cache, 'apt', 'archives', 'partial'), join(cache, 'debs')]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(parts, `${NEXT_RELEASE}.sources`),
    `Types: deb\nURIs: ${mirror}\nSuites: ${NEXT_RELEASE}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
  const apt = ['-o', 'Dir::Etc::sourcelist=/dev/null', '-o', `Dir::Etc::sourceparts=${parts}`, '-o', `Dir::State::Lists=${join(cache, 'lists')}`, '-o', `Dir::Cache=${join(cache, 'apt')}`, '-o', 'APT::Sandbox::User=root'];
  const update = spawnSync('apt-get', [...apt, 'update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (update.status !== 0) fail(`apt-get update for ${NEXT_RELEASE} failed (exit ${update.status}).`);
  const download = spawnSync('apt-get', [...apt, 'download', ...PACKAGES], { cwd: join(cache, 'debs'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (download.status !== 0) fail(`apt-get download ${PACKAGES.join(' ')} failed (exit ${download.status}).`);
  for (const deb of readdirSync(join(cache, 'debs')).filter((f) => f.endsWith('.deb'))) {
    const unpack = spawnSync('dpkg', ['-x', join(cache, 'debs', deb), join(cache, 'root')], { stdio: 'inherit' });
    if (unpack.status !== 0) fail(`dpkg -x ${deb} failed.`);
  }
  if (!existsSync(loader)) fail(`the unpacked packages have no ${loader}.`);
  return { loader, lib };
}

const options = parseArgs(process.argv.slice(2));
const require = createRequire(import.meta.url);
let cli;
try {
  // The package's exports hide package.json: walk up from its entry point to its folder.
  let dir = dirname(require.resolve('chromadb'));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== 'chromadb') {
    if (dirname(dir) === dir) throw new Error('not found');
    dir = dirname(dir);
  }
  cli = join(dir, 'dist', 'cli.mjs');
} catch {
  fail('the chromadb package is not installed: run npm install.');
}
const chromaArgs = [cli, 'run', '--path', resolve(options.path), '--port', String(options.port), '--host', options.host];
mkdirSync(resolve(options.path), { recursive: true });
const [command, args] = newEnough(glibcVersion())
  ? [process.execPath, chromaArgs]
  : (() => {
      const { loader, lib } = newerLibraries();
      return [loader, ['--library-path', lib, process.execPath, ...chromaArgs]];
    })();

const child = spawn(command, args, { stdio: 'inherit' });
const stop = () => child.exitCode === null && child.kill('SIGINT');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// MEDIC_CHROMA_EXIT_WITH_PARENT=1 (the tests' servers): when the process that started this one
// dies without stopping it, stop Chroma too (SIGKILL if SIGINT has not stopped it in 5 s),
// instead of leaving a server that keeps a core busy.
if (process.env.MEDIC_CHROMA_EXIT_WITH_PARENT === '1') {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    stop();
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
  }, 1_000);
  watch.unref();
}
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 0 : 1)));
