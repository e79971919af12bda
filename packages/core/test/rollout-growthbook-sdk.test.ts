import { GrowthBook, type FeatureDefinition } from '@growthbook/growthbook';
import { describe, expect, it } from 'vitest';
import { decide, MAX_USER_ID_LENGTH, parseRolloutConfig, userIdOf, type RolloutConfig } from '@semfilter/core/rollout';
import { seededRandom } from '../src/sample/sample-wardrobe.js';

/*
 * Our decide() against the real GrowthBook JS SDK (@growthbook/growthbook, a devDependency): one
 * GrowthBook instance per user, as a page has, with a feature whose one rule is a coverage rollout
 * (`{ force: true, coverage, seed, hashVersion }` over `defaultValue: false`), `isOn` for
 * attributes `{ id }`. The rule: 0 mismatches for every id GrowthBook serves that we serve; and we
 * never serve an id GrowthBook refuses. GrowthBook refuses an id when its hash attribute is falsy;
 * which ids it serves is asked of the SDK itself (a coverage-1 rule is on for every id it hashes).
 */

const FLAG = 'semantic-filter';
const USERS = 100_000;

const EDGE_IDS: unknown[] = [
  '', ' ', '   ', '\u00a0', '\t', 'a\nb', 'ali\u0000ce', 'alice\u007f', 'alice\u0085', 'u'.repeat(MAX_USER_ID_LENGTH), 'u'.repeat(MAX_USER_ID_LENGTH + 1),
  0, -0, NaN, Infinity, -Infinity, 1, -1, 0.1, 1e21, 2 ** 53 + 2, Number.MIN_VALUE,
  null, undefined, true, false, 10n, 0n, {}, [], ['x'], { id: 'alice' }, '0', 'null', 'undefined', 'NaN', 'true', '[object Object]',
];
const FIRST = ['ana', 'bo', 'chloé', 'dmitri', 'eun-ji', 'françois', 'günther', 'hana', 'ivan', 'józef'];
const DOMAINS = ['example.com', 'mail.example.org', 'ünïcode.example', 'x.co'];
const UNICODE_RANGES: [number, number][] = [[0x00c0, 0x024f], [0x0400, 0x04ff], [0x4e00, 0x9fff], [0x3040, 0x30ff], [0x0600, 0x06ff], [0xd800, 0xdfff]];

/** 100,000 ids, the same on every run: mostly ids real hosts have, and every kind of junk. */
function makeIds(count: number): unknown[] {
  const random = seededRandom(20_250_101);
  const int = (max: number) => Math.floor(random() * max);
  const hex = (length: number) => Array.from({ length }, () => int(16).toString(16)).join('');
  const pick = <T,>(list: readonly T[]) => list[int(list.length)]!;
  const unicode = () =>
    Array.from({ length: 1 + int(12) }, () => {
      if (random() < 0.15) return String.fromCodePoint(0x1f300 + int(0x2ff)); // emoji: a surrogate pair
      const [low, high] = pick(UNICODE_RANGES); // the last range gives lone surrogates
      return String.fromCharCode(low + int(high - low + 1));
    }).join('');
  const ids: unknown[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 20) {
      case 0: case 1: case 2: case 3: ids.push(`user-${i}`); break; // sequential: v1's clustering shows here
      case 4: case 5: ids.push(`${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`); break;
      case 6: case 7: ids.push(`${pick(FIRST)}.${pick(FIRST)}${int(1000)}@${pick(DOMAINS)}`); break;
      case 8: case 9: ids.push(1 + int(2 ** 31)); break; // numeric database ids, as numbers
      case 10: ids.push(pick([-int(1e6) - 1, int(1e6) / 8 + 0.125, 2 ** 53 + int(1e6), int(1e9) * 1e12 + 1])); break;
      case 11: ids.push(unicode()); break;
      case 12: ids.push(pick([` user-${i}`, `user-${i} `, `  ${i}  `, `\u00a0user-${i}`, ' '.repeat(1 + int(4))])); break;
      case 13: ids.push(pick(['0', '00', '-0', String(int(10)), String.fromCharCode(33 + int(94))])); break;
      case 14: ids.push(pick([`auth0|${hex(24)}`, `google-oauth2|${int(1e9)}`, `${hex(6)}+/=${hex(4)}`, `o'brien-${i}`, `"${i}"`, `<b>${i}</b>`, `${i}; DROP TABLE users`])); break;
      case 15: ids.push(`${hex(8)}:`.repeat(20 + int(14)).slice(0, 200 + int(100))); break; // around the 256-character limit
      case 16: ids.push(EDGE_IDS[Math.floor(i / 20) % EDGE_IDS.length]); break;
      case 17: ids.push(`${pick(['User', 'USER', 'user'])}_${int(1e5)}`); break;
      case 18: ids.push(i); break; // the number …
      default: ids.push(String(i - 1)); // … and the string of the same id
    }
  }
  return ids;
}

/** Why we refuse an id (NO_USER_ID), or null when we bucket it. */
function whyWeRefuse(id: unknown): string | null {
  if (userIdOf(id) !== null) return null;
  if (id === null || id === undefined) return 'null or undefined';
  if (typeof id === 'string') return id === '' ? 'empty string' : id.length > MAX_USER_ID_LENGTH ? `over ${MAX_USER_ID_LENGTH} characters` : 'control characters';
  if (typeof id === 'number') return Number.isNaN(id) || id === 0 ? 'the number 0 or NaN' : 'Infinity or -Infinity';
  return typeof id === 'object' ? 'object or array' : typeof id;
}
/** What GrowthBook refuses too (a falsy attribute is no hash value), and what we refuse on purpose although GrowthBook buckets it. */
const REFUSED_BY_BOTH = new Set(['null or undefined', 'empty string', 'the number 0 or NaN']);
const REFUSED_ON_PURPOSE = new Set([`over ${MAX_USER_ID_LENGTH} characters`, 'control characters', 'Infinity or -Infinity', 'object or array', 'boolean', 'bigint']);

function gbIsOn(feature: FeatureDefinition, id: unknown): boolean {
  return new GrowthBook({ features: { [FLAG]: feature }, attributes: { id } }).isOn(FLAG);
}

function parsed(value: unknown): RolloutConfig {
  const result = parseRolloutConfig(value);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const ids = makeIds(USERS);

describe(`decide() and the GrowthBook SDK over ${USERS.toLocaleString('en')} ids`, () => {
  // A coverage-1 rule is on for every id GrowthBook hashes: the SDK's own answer to "does it serve this id".
  const gbServes = ids.map((id) => gbIsOn({ defaultValue: false, rules: [{ force: true, coverage: 1, hashVersion: 2 }] }, id));
  const refusal = ids.map(whyWeRefuse);

  it('we never serve an id GrowthBook refuses; we refuse only what the README lists', () => {
    const table = new Map<string, { ids: number; gbServes: number; gbRefuses: number }>();
    ids.forEach((_, i) => {
      const key = refusal[i] === null ? 'we serve' : `we refuse: ${refusal[i]}`;
      const row = table.get(key) ?? { ids: 0, gbServes: 0, gbRefuses: 0 };
      row.ids += 1;
      row[gbServes[i] ? 'gbServes' : 'gbRefuses'] += 1;
      table.set(key, row);
    });
    console.log(`ids by who serves them (${USERS} ids):\n${[...table].map(([key, row]) => `  ${key.padEnd(44)} ${String(row.ids).padStart(6)}   GrowthBook serves ${String(row.gbServes).padStart(6)}, refuses ${String(row.gbRefuses).padStart(5)}`).join('\n')}`);

    expect(table.get('we serve')!.gbRefuses).toBe(0);
    for (const [key, row] of table) {
      const reason = key.replace('we refuse: ', '');
      if (REFUSED_BY_BOTH.has(reason)) expect([reason, row.gbServes]).toEqual([reason, 0]);
      else if (key !== 'we serve') expect(REFUSED_ON_PURPOSE.has(reason), reason).toBe(true);
    }
    // Every kind of id is there: served by both, refused by both, refused by us on purpose.
    expect(table.get('we serve')!.ids).toBeGreaterThan(0.9 * USERS);
    expect([...REFUSED_BY_BOTH, ...REFUSED_ON_PURPOSE].every((reason) => table.has(`we refuse: ${reason}`))).toBe(true);
  });

  // GrowthBook's rule: no hashVersion means v1 (`hashVersion || 1`), which is our `hashVersion: 1`.
  const HASHES: [gb: number | undefined, ours: 1 | 2][] = [[undefined, 1], [1, 1], [2, 2]];
  const SEEDS = [undefined, 'fr_19g61hlk5xe5w3', 'Ünï 🙂 seed'];
  const COVERAGES = [0, 0.05, 0.25, 0.5, 0.999, 1];
  const CASES = HASHES.flatMap(([gb, ours]) => SEEDS.flatMap((seed) => COVERAGES.map((coverage) => ({ gb, ours, seed, coverage }))));

  it.each(CASES)('hashVersion $gb (ours $ours), seed $seed, coverage $coverage: 0 mismatches', ({ gb, ours, seed, coverage }) => {
    const feature: FeatureDefinition = { defaultValue: false, rules: [{ force: true, coverage, ...(seed === undefined ? {} : { seed }), ...(gb === undefined ? {} : { hashVersion: gb }) }] };
    // No seed on either side: GrowthBook seeds with the feature key, we with the flag (the same name).
    const config = parsed({ schema: 1, version: 1, flag: FLAG, ...(seed === undefined ? {} : { seed }), hashVersion: ours, mode: 'on', coverage });
    let both = 0;
    let on = 0;
    const distinct = { ids: new Set<string>(), on: 0 };
    const mismatches: string[] = [];
    ids.forEach((id, i) => {
      const gbOn = gbIsOn(feature, id);
      const decision = decide(config, { id: id as string | number | null });
      if (refusal[i] !== null) {
        expect(decision.reason).toBe('NO_USER_ID');
        return;
      }
      if (!gbServes[i]) return;
      both += 1;
      if (gbOn) on += 1;
      const key = `${typeof id}:${String(id)}`;
      if (!distinct.ids.has(key)) {
        distinct.ids.add(key);
        if (gbOn) distinct.on += 1;
      }
      if (gbOn !== decision.semantic) mismatches.push(`${JSON.stringify(String(id))}: GrowthBook ${gbOn}, ours ${decision.semantic} (bucket ${decision.bucket})`);
    });
    console.log(`hashVersion ${gb ?? '(none)'} seed ${seed ?? '(key)'} coverage ${coverage}: ${both} ids served by both, ${on} on, ${mismatches.length} mismatches`);
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Not a vacuous match: the share of distinct ids on is the coverage, give or take v1's clustering.
    expect(Math.abs(distinct.on / distinct.ids.size - coverage)).toBeLessThan(ours === 1 ? 0.02 : 0.01);
  });
});
