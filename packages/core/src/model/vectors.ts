/** A unit-length sentence embedding (all-MiniLM-L6-v2: 384 numbers). */
export type Vector = Float32Array;

/** Finds the vector of a normalized term, or undefined when none was computed. */
export type VectorLookup = (term: string) => Vector | undefined;

/** Cosine similarity of two unit vectors (their dot product). */
export function cosine(a: Vector, b: Vector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
