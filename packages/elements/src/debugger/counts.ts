/** Numbers in the debugger's text, in English as the rest of its wording: 10,000 with separators. */
const numbers = new Intl.NumberFormat('en');
const plurals = new Intl.PluralRules('en');

/** A whole number with thousands separators ("10,000"). */
export function formatCount(value: number): string {
  return numbers.format(value);
}

/** A count with its noun in the right number: "1 row", "10,000 rows". */
export function countOf(value: number, one: string, other: string): string {
  return `${formatCount(value)} ${plurals.select(value) === 'one' ? one : other}`;
}
