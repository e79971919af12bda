import { z } from 'zod';
import { DIMENSIONS } from './dimensions.js';
import { LIMITS } from './limits.js';

const tag = z
  .string({ error: (issue) => `expected a tag string, received ${receivedType(issue.input)}` })
  .max(LIMITS.maxTagLength, { error: `expected a tag of at most ${LIMITS.maxTagLength} characters` });

const tagList = z.array(tag).max(LIMITS.maxTagsPerAttribute, { error: `expected at most ${LIMITS.maxTagsPerAttribute} tags` });

/** A tag attribute: one string or a list of strings. Checked by shape so errors point inside lists. */
export const tagsSchema = z.unknown().transform((value, ctx): string | string[] => {
  const schema = typeof value === 'string' ? tag : Array.isArray(value) ? tagList : undefined;
  if (schema === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a string or an array of strings, received ${receivedType(value)}` });
    return z.NEVER;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});

/** A wardrobe item: a string `id`, optional `name` and tags; other fields are kept as they are. */
export const itemSchema = z.looseObject({
  id: z
    .string({ error: (issue) => (issue.input === undefined ? 'required: every item needs a string id' : `expected a string id, received ${receivedType(issue.input)}`) })
    .min(1, { error: 'expected a non-empty id' })
    .max(LIMITS.maxIdLength, { error: `expected an id of at most ${LIMITS.maxIdLength} characters` }),
  name: z.string().max(LIMITS.maxNameLength).optional(),
  style: tagsSchema.optional(),
  occasion: tagsSchema.optional(),
  mood: tagsSchema.optional(),
});

/** A list of items with distinct ids. */
export const itemsSchema = z
  .array(itemSchema, { error: (issue) => `expected an array of items, received ${receivedType(issue.input)}` })
  .max(LIMITS.maxItems, { error: `expected at most ${LIMITS.maxItems} items` })
  .superRefine((items, ctx) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const first = seen.get(item.id);
      if (first === undefined) seen.set(item.id, index);
      else ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id "${item.id}" (first at index ${first})` });
    });
  });

/** The outcome of checking input: the parsed value, or every issue found with its place. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly InputIssue[] };

/** Checks a wardrobe (an array of items, or an object with an `items` array); paths start at `items`. */
export function parseWardrobe(value: unknown): Parsed<Item[]> {
  const isWrapped = typeof value === 'object' && value !== null && !Array.isArray(value) && 'items' in value;
  if (!Array.isArray(value) && !isWrapped) {
    return { ok: false, issues: [{ path: 'items', message: `expected an array of items or an object with an "items" array, received ${receivedType(value)}` }] };
  }
  return parseWith(itemsSchema, isWrapped ? (value as { items: unknown }).items : value, 'items');
}

/** Checks a value against a schema, naming issues from `root`. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, root: string): Parsed<T> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: describeIssues(result.error, root) };
}

/** What a user asks for: any of style, occasion and mood. */
export const requestSchema = z.strictObject({
  style: tagsSchema.optional(),
  occasion: tagsSchema.optional(),
  mood: tagsSchema.optional(),
});

/** What a filter does with a verdict whose evidence is weak (basis UNCERTAIN): see UncertainPolicy. */
export const uncertainPolicySchema = z.enum(['threshold', 'accept', 'reject', 'exact']);

const dimensionOptionsSchema = z.strictObject({
  mode: z.enum(['semantic', 'exact']).optional(),
  threshold: z.number().min(0).max(1).optional(),
  uncertain: uncertainPolicySchema.optional(),
});

/** Filter options; every field has a default (see DEFAULT_OPTIONS). */
export const filterOptionsSchema = z.strictObject({
  semantic: z.boolean().optional(),
  dimensions: z.strictObject(Object.fromEntries(DIMENSIONS.map((d) => [d, dimensionOptionsSchema.optional()])) as Record<(typeof DIMENSIONS)[number], z.ZodOptional<typeof dimensionOptionsSchema>>).optional(),
  semanticWeight: z.number().min(0).max(1).optional(),
  /** The policy for unsure verdicts on every dimension (a dimension's own `uncertain` wins). */
  uncertain: uncertainPolicySchema.optional(),
});

/** An item as validated. */
export type Item = z.infer<typeof itemSchema>;
/** A request as validated. */
export type FilterRequest = z.infer<typeof requestSchema>;
/** Filter options as a caller passes them. */
export type FilterOptionsInput = z.infer<typeof filterOptionsSchema>;

/** One problem found in input: where (`items[3].style`) and what was expected. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** Turns zod's issues into readable paths under a root name, such as `items[3].style`. */
export function describeIssues(error: z.ZodError, root: string): InputIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(root, issue.path), message: issue.message }));
}

function formatPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), root);
}

function receivedType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
