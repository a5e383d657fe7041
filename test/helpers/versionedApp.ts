/**
 * The `server.mjs` of a one-page app in several versions, for inline projects: it serves the
 * markup of version `APP` (default v1) at every path, and `ok` at /healthz.
 * @example writeInlineProject({ 'server.mjs': versionedServer({ v1: '<button id="save">Save</button>', v2: '…' }, port) })
 */
export function versionedServer(versions: Record<string, string>, port: number): string {
  return `
      import { createServer } from 'node:http';
      const pages = ${JSON.stringify(versions)};
      createServer((req, res) => {
        if (req.url === '/healthz') return res.end('ok');
        res.setHeader('content-type', 'text/html');
        res.end('<!doctype html><title>app</title>' + pages[process.env.APP ?? 'v1']);
      }).listen(${port}, '127.0.0.1');`;
}
