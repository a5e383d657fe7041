import type { Page } from '@playwright/test';
import { MAX_STORAGE_CHARS, type PageState } from '../learning/catalog.js';

export type PageStateMode = 'url' | 'storage' | 'off';
type Storage = NonNullable<PageState['storage']>;

/**
 * A page's address without its origin (path, query and hash), for pre-flight to open it again;
 * undefined for pages that are not http(s) (`about:blank`, `data:`).
 * @example addressOf('http://127.0.0.1:4173/product?id=p1#reviews') // '/product?id=p1#reviews'
 */
export function addressOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const address = `${u.pathname}${u.search}${u.hash}`;
    return address.length <= 2_000 ? address : u.pathname.slice(0, 2_000);
  } catch {
    return undefined;
  }
}

/** The page's localStorage and sessionStorage, read in the page; undefined beyond `max` characters or where storage cannot be read (an opaque origin). */
function readStorage(max: number): Storage | undefined {
  try {
    const read = (store: globalThis.Storage) => {
      const out: Record<string, string> = {};
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (key !== null) out[key] = store.getItem(key) ?? '';
      }
      return out;
    };
    const storage = { local: read(localStorage), session: read(sessionStorage) };
    let size = 0;
    for (const part of [storage.local, storage.session]) for (const [k, v] of Object.entries(part)) size += k.length + v.length;
    return size <= max ? storage : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state of `page` for the catalog (`risk.preflightState`): its address, and with `storage`
 * its localStorage and sessionStorage (left out when they hold more than `MAX_STORAGE_CHARS`).
 * undefined with `off` or on a page without an http(s) address.
 * @example const state = await pageStateOf(page, 'storage'); // { url: '/cart', storage: { local: { 'shop.cart': '…' }, session: {} } }
 */
export async function pageStateOf(page: Page, mode: PageStateMode): Promise<PageState | undefined> {
  if (mode === 'off') return undefined;
  const url = addressOf(page.url());
  if (url === undefined) return undefined;
  if (mode === 'url') return { url };
  const storage = await page.evaluate(readStorage, MAX_STORAGE_CHARS).catch(() => undefined);
  return storage ? { url, storage } : { url };
}

/**
 * Puts a recorded storage back before the page's own scripts run (an init script of `page`): the
 * localStorage and sessionStorage of `origin` (the app's) become what they were, in the top frame
 * of each document of that origin the page loads; other origins (a sign-in provider) are left alone.
 * @example await restoreStorage(page, record.state.storage, 'http://127.0.0.1:4173'); await page.goto(record.state.url);
 */
export async function restoreStorage(page: Page, storage: Storage, origin: string): Promise<void> {
  await page.addInitScript(
    ({ saved, origin }: { saved: Storage; origin: string }) => {
      if (window !== window.top || location.origin !== origin) return;
      try {
        for (const [store, items] of [[localStorage, saved.local], [sessionStorage, saved.session]] as const) {
          store.clear();
          for (const [key, value] of Object.entries(items)) store.setItem(key, value);
        }
      } catch {
        // an origin without storage: the page opens as it is
      }
    },
    { saved: storage, origin },
  );
}
