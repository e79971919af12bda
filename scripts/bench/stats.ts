/** The median of a list of numbers (the upper one for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Milliseconds as the bench prints them. */
export function ms(value: number, digits = 1): string {
  return `${value.toFixed(digits)} ms`;
}
