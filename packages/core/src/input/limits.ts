/** Size limits on input, so one bad file cannot exhaust a page or a process. */
export const LIMITS = {
  /** Items in one wardrobe. */
  maxItems: 100_000,
  /** Characters in one tag. Real tags are a few words; 200 leaves room for long compound tags. */
  maxTagLength: 200,
  /** Tags in one attribute of one item or request. */
  maxTagsPerAttribute: 50,
  /** Characters in an item id. */
  maxIdLength: 200,
  /** Characters in an item name. */
  maxNameLength: 500,
} as const;
