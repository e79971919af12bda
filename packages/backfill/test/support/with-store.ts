import { openStore, type Store } from '@semfilter/backfill';

/** Opens the store `url` names, runs `work` on it, and closes it whatever happens. */
export async function withStore<T>(url: string, writable: boolean, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url, { writable });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
