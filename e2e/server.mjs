#!/usr/bin/env node
// Static server for the demo shop in e2e/apps/<version>. No dependencies.
//
//   node e2e/server.mjs --app v1 --port 4173 [--fail /cart=500 ...]
//
// Routing (the same for every version):
//   GET /healthz        -> 200 "ok"
//   GET /               -> index.html
//   GET /<page>         -> <page>.html          (e.g. /products -> products.html, /product?id=p1 -> product.html)
//   GET /<file>.<ext>   -> that file             (e.g. /app.js, /styles.css)
//   anything else       -> 404
// Only 127.0.0.1 is bound. Paths that leave the app folder get 400/403.
// --fail <path>=<status> (repeatable) injects a broken endpoint: that pathname answers <status>
// (400-599) with a plain-text error page, as a failing backend would. Tests replay faults with it.
import { STATUS_CODES, createServer } from 'node:http';
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const APPS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'apps');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function usage(message) {
  if (message) console.error(`e2e/server.mjs: ${message}`);
  console.error('Usage: node e2e/server.mjs --app <version> [--port <port>] [--fail <path>=<status> ...]   (default port 4173)');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { app: undefined, port: 4173, failures: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--app') options.app = value();
    else if (flag === '--port') options.port = Number(value());
    else if (flag === '--fail') {
      const spec = value() ?? '';
      const match = /^(\/[^=\s]*)=([45]\d\d)$/.exec(spec);
      if (!match) usage(`--fail takes <path>=<status> with a path starting with / and a status 400-599 (got "${spec}")`);
      options.failures.set(match[1], Number(match[2]));
    } else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!options.app) usage('missing --app');
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) usage('--port must be an integer 0-65535');
  return options;
}

function availableApps() {
  try {
    return readdirSync(APPS_DIR).filter((name) => statSync(join(APPS_DIR, name)).isDirectory());
  } catch {
    return [];
  }
}

const { app, port, failures } = parseArgs(process.argv.slice(2));
const apps = availableApps();
if (!/^[A-Za-z0-9_-]+$/.test(app) || !apps.includes(app)) {
  console.error(`e2e/server.mjs: unknown app version "${app}". Available: ${apps.join(', ') || '(none found in ' + APPS_DIR + ')'}`);
  process.exit(2);
}
const root = resolve(APPS_DIR, app);

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Maps a URL pathname to a file inside root, or returns an HTTP status for refusals. */
function resolveFile(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.startsWith('.'))) return { status: 403 };
  let relative = segments.join('/');
  if (relative === '') relative = 'index.html';
  else if (extname(relative) === '') relative += '.html';
  const file = resolve(root, relative);
  if (file !== root && !file.startsWith(root + sep)) return { status: 403 };
  return { file };
}

const server = createServer((req, res) => {
  let url;
  try {
    url = new URL(req.url ?? '/', `http://${HOST}`);
  } catch {
    return send(res, 400, 'Bad request\n');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'Method not allowed\n');
  }
  if (url.pathname === '/healthz') return send(res, 200, 'ok\n');
  const failure = failures.get(url.pathname);
  if (failure) return send(res, failure, `${failure} ${STATUS_CODES[failure] ?? 'Error'} (injected by --fail)\n`);
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204);
    return res.end();
  }
  const { file, status } = resolveFile(url.pathname);
  if (status) return send(res, status, status === 403 ? 'Forbidden\n' : 'Bad request\n');
  let body;
  try {
    if (!statSync(file).isFile()) return send(res, 404, 'Not found\n');
    body = readFileSync(file);
  } catch {
    return send(res, 404, 'Not found\n');
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.on('error', (error) => {
  console.error(`e2e/server.mjs: ${error.message}`);
  process.exit(1);
});

server.listen(port, HOST, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const broken = [...failures].map(([path, status]) => `${path}=${status}`).join(', ');
  console.log(`demo shop ${app} on http://${HOST}:${actualPort}${broken ? ` (failing: ${broken})` : ''}`);
});

function stop(signal) {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Exit anyway if something keeps the server open.
  setTimeout(() => process.exit(0), 1000).unref();
  console.log(`demo shop stopping (${signal})`);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
