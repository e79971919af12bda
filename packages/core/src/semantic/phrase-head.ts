/**
 * Words after which an English phrase's head has been named: "wedding on the beach" is a wedding,
 * "dinner with the team" a dinner. The head is then the last word before the first of them.
 */
const PREPOSITIONS = new Set(['at', 'on', 'in', 'for', 'by', 'near', 'with', 'to', 'of', 'from', 'after', 'before', 'under', 'over']);

/** Words that never head a tag on their own ("… energy", "… vibes" say the words before them are the point). */
const LIGHT_HEADS = new Set(['vibe', 'vibes', 'energy', 'feel', 'feeling', 'feels', 'look', 'looks', 'mood', 'style', 'aesthetic', 'core', 'wear', 'outfit', 'outfits', 'day', 'night', 'time', 'mode', 'season']);

/**
 * The head of a normalized multi-word tag, by the right-hand head rule of English compounds: the
 * last word ("rooftop birthday party" is a party, "rain jacket" a jacket), or the last word before
 * a preposition ("wedding on the beach"). A light last word ("main character energy", "beach
 * vibes") hands the head to the words before it. Null for a single word, or when the head would be
 * the whole tag again.
 */
export function phraseHead(term: string): string | null {
  const words = term.split(' ');
  if (words.length < 2) return null;
  const cut = words.findIndex((word, i) => i > 0 && PREPOSITIONS.has(word));
  const before = cut === -1 ? words : words.slice(0, cut);
  if (before.length > 1 && LIGHT_HEADS.has(before[before.length - 1]!)) {
    const rest = before.slice(0, -1);
    return rest.length === words.length ? null : rest.join(' ');
  }
  const head = before[before.length - 1]!;
  return head === term ? null : head;
}
