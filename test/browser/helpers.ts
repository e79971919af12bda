import { executeServerCommand } from '@web/test-runner-commands';

/** A URL prefix no cache has seen: the dev server maps `/fresh/<tag>/x` to `/x`. */
export function freshPrefix(name: string): string {
  return `/fresh/${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Makes every request under `prefix` answer 404 (or serve again). */
export function setOffline(prefix: string, offline: boolean): Promise<unknown> {
  return executeServerCommand('set-offline', { prefix, offline });
}

/** How many requests the server saw under `prefix`. */
export function requestCount(prefix: string): Promise<number> {
  return executeServerCommand('request-count', { prefix }) as Promise<number>;
}

/** Vectors from the Node embedder (onnxruntime-node), computed by the test server. */
export async function nodeEmbed(texts: string[]): Promise<Float32Array[]> {
  const vectors = (await executeServerCommand('node-embed', { texts })) as number[][];
  return vectors.map((v) => Float32Array.from(v));
}

/** Terms no vocabulary knows, so only the model can place them. */
export const UNKNOWN_TERMS = ['zorblaxian', 'quuxwave', 'flimberish'];
