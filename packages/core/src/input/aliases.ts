/**
 * Spellings of the same tag that exact matching should treat as one, keyed by their already
 * normalized form. Only spelling variants and abbreviations belong here: anything that needs
 * judgement ("office" for "work") is the semantic filter's job, where it is explained.
 * Keys and values are in normal form and no value is itself a key, so normalizing is idempotent.
 */
export const TERM_ALIASES: Readonly<Record<string, string>> = {
  smartcasual: 'smart casual',
  'smart casuals': 'smart casual',
  bizcasual: 'business casual',
  'biz casual': 'business casual',
  'business casuals': 'business casual',
  wfh: 'work from home',
  'date nite': 'date night',
  'nite out': 'night out',
  nightout: 'night out',
  datenight: 'date night',
  xmas: 'christmas',
  bday: 'birthday',
  'b day': 'birthday',
  formalwear: 'formal',
  'formal wear': 'formal',
  eveningwear: 'evening',
  'evening wear': 'evening',
  loungewear: 'lounge',
  'lounge wear': 'lounge',
  athleisurewear: 'athleisure',
  blacktie: 'black tie',
  'black tie optional': 'black tie',
  streetstyle: 'street style',
  laidback: 'laid back',
  bohemian: 'boho',
  minimal: 'minimalist',
};
