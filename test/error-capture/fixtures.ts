// Shared fixtures for the error-capture suite: a tiny local http server (random port, so ports
// differ between runs) and a random id helper (so masking in the signature is really exercised).
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';

/** 8 hex characters with at least one digit, e.g. `3f9a2c71` — different on every call. */
export function randomId(): string {
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (/\d/.test(id) && /[a-f]/.test(id)) return id;
  }
}

/** A random integer in [min, max]. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** The discard port: nothing listens there, and Chromium refuses it as unsafe (net::ERR_UNSAFE_PORT). */
export const DISCARD_PORT_URL = 'http://127.0.0.1:9/';

/** A local port that was free a moment ago (so connections are refused); random on every run. */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

export interface LocalServer {
  /** `http://127.0.0.1:<random port>` */
  url: string;
  /** Drops the requests `/hang` is holding, so the browser context can close quickly. */
  releaseHanging: () => void;
}

/**
 * Routes of the local server:
 * - `/page/<anything>` a small HTML page;
 * - `/hang` accepts the request and never answers;
 * - `/no-content` answers 204 (Chromium aborts the navigation: net::ERR_ABORTED).
 */
async function startServer(): Promise<LocalServer & { close: () => Promise<void> }> {
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/hang') {
      hanging.add(res);
      return;
    }
    if (path === '/no-content') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>page</title><h1>${path}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const releaseHanging = () => {
    for (const res of hanging) res.destroy();
    hanging.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    releaseHanging,
    close: () =>
      new Promise<void>((resolve) => {
        releaseHanging();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const test = base.extend<object, { server: LocalServer }>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring to see the fixture's dependencies
    async ({}, use) => {
      const server = await startServer();
      await use({ url: server.url, releaseHanging: server.releaseHanging });
      await server.close();
    },
    { scope: 'worker' },
  ],
});
