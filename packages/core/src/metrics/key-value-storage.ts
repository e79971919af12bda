/**
 * Where the rollout keeps what must outlive a page: the last good config and a guardrail rollback.
 * The Web Storage shape, so `localStorage` fits as it is and tests pass a Map-backed one.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The page's localStorage, or undefined where there is none or it is blocked (sandboxed frames, privacy modes). */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
    return storage ?? undefined;
  } catch {
    return undefined; // reading localStorage itself throws where storage is denied
  }
}

/** A storage that lives as long as the page: for Node, tests, and pages without localStorage. */
export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, String(value)),
    removeItem: (key) => void values.delete(key),
  };
}

/** Reads a key, treating a storage that throws (quota, denied access) as holding nothing. */
export function readStored(storage: KeyValueStorage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Writes a key; returns false when the storage refused, so callers carry on in memory. */
export function writeStored(storage: KeyValueStorage | undefined, key: string, value: string | null): boolean {
  if (storage === undefined) return false;
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}
