import type { ModelProgress } from '../worker/embedding-api.js';

const BYTES_PER_MB = 1_000_000;

/**
 * A model download's progress in words for a UI: "12.3 of 90.9 MB (13%)", or "12.3 MB" while the
 * total is unknown. Megabytes are decimal (10^6 bytes, as download sizes are usually given); the
 * percent is rounded down, so 100% means every byte arrived.
 */
export function describeProgress(progress: Pick<ModelProgress, 'loadedBytes' | 'totalBytes'>): string {
  const loaded = megabytes(progress.loadedBytes);
  if (progress.totalBytes === null || progress.totalBytes <= 0) return `${loaded} MB`;
  const percent = Math.floor((Math.min(progress.loadedBytes, progress.totalBytes) / progress.totalBytes) * 100);
  return `${loaded} of ${megabytes(progress.totalBytes)} MB (${percent}%)`;
}

function megabytes(bytes: number): string {
  return (bytes / BYTES_PER_MB).toFixed(1);
}
