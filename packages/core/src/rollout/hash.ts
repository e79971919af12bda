/**
 * GrowthBook's bucketing hash, so a team that already buckets users with GrowthBook puts every user
 * in the same bucket here (vectors: test/fixtures/growthbook-cases.json, `hash` rows).
 */

/**
 * 32-bit FNV-1a over UTF-16 code units (`charCodeAt`), as GrowthBook's SDKs compute it. Generic FNV
 * packages hash UTF-8 bytes and disagree with GrowthBook on non-ASCII ids, hence our own.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    // Math.imul keeps the FNV prime multiplication in 32 bits, equal to GrowthBook's shift-and-add form.
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/**
 * GrowthBook's `hash(seed, value, version)`: v1 `(fnv(value + seed) % 1000) / 1000`, v2
 * `(fnv(String(fnv(seed + value))) % 10000) / 10000`; any other version gives null, as there.
 */
export function growthbookHash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}

/**
 * A user's bucket in [0, 1): GrowthBook's hash v2 (four decimals) by default, or v1 (three
 * decimals) for a config with `hashVersion: 1`. New configs keep v2: v1 clusters similar ids
 * (java#207 and swift#176 were bitten by mixing the two); v1 is there to match GrowthBook rules on it.
 */
export function bucketOf(seed: string, userId: string, hashVersion: 1 | 2 = 2): number {
  return hashVersion === 1 ? (fnv1a32(userId + seed) % 1000) / 1000 : (fnv1a32(String(fnv1a32(seed + userId))) % 10000) / 10000;
}
