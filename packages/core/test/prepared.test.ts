import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONCEPT_MAPS,
  createLayeredEmbedder,
  decideItems,
  DIMENSIONS,
  filterItems,
  filterPrepared,
  flippedItems,
  generateWardrobe,
  itemTerms,
  itemVerdicts,
  normalizeRequest,
  parsePreparedWardrobe,
  prepareRequest,
  prepareWardrobe,
  preparedReport,
  rankedOrder,
  resolveOptions,
  runPrepared,
  seededRandom,
  type Dimension,
  type Embedder,
  type FilterDependencies,
  type FilterOptionsInput,
  type FilterReport,
  type FilterRequest,
  type Item,
} from '@semfilter/core';
import { vocabularyPack } from './support/vocabulary-pack.js';
import { failingModel, loadSampleWardrobe, realModel } from './model.js';
import { referenceFilter } from './support/reference-filter.js';

// A clock that stands still, so both paths report the same timings and whole reports compare.
const still: FilterDependencies = { now: () => 0 };

const SAMPLE = loadSampleWardrobe();

const REQUESTS: FilterRequest[] = [
  { style: 'casual', occasion: 'work', mood: 'calm' },
  { style: ['Smart_Casual', 'classic'], mood: 'happy' },
  { occasion: 'wedding', mood: ['romantic', 'festive'] },
  { mood: 'sad' },
  { style: 'zorblaxian', occasion: 'work' },
  {},
];

const OPTIONS: FilterOptionsInput[] = [
  {},
  { dimensions: { style: { threshold: 0.3 }, occasion: { threshold: 0.9 }, mood: { threshold: 0.5 } } },
  { dimensions: { style: { threshold: 0.8 }, occasion: { mode: 'exact' } }, semanticWeight: 0.65 },
  { dimensions: { style: { threshold: 0 }, occasion: { threshold: 1 }, mood: { threshold: 0.62 } }, semanticWeight: 1 },
];

/** Asserts two reports are the same, field by field and in the same key order (as the CLI prints them). */
function expectSameReport(actual: FilterReport, expected: FilterReport): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** Both paths on one case, with the standing clock. */
async function expectAsReference(items: readonly Item[], request: FilterRequest, options: FilterOptionsInput, deps: FilterDependencies = {}): Promise<FilterReport> {
  const expected = await referenceFilter(items, request, options, { ...deps, ...still });
  expectSameReport(await filterItems(items, request, options, { ...deps, ...still }), expected);
  const prepared = await filterPrepared(prepareWardrobe(items), request, options, { ...deps, ...still });
  expectSameReport(preparedReport(prepared), expected);
  return expected;
}

describe('the prepared wardrobe gives the reports the per-item filter gave', () => {
  it('traditional filter: the sample wardrobe and generated wardrobes, every request and option set', async () => {
    for (const items of [SAMPLE, generateWardrobe(3000, 7), []]) {
      for (const request of REQUESTS) for (const options of OPTIONS) await expectAsReference(items, request, { ...options, semantic: false });
    }
  });

  it('traditional filter: seeded random wardrobes with messy, repeated, missing and empty tags', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const random = seededRandom(seed);
      const items = randomWardrobe(random, 1 + Math.floor(random() * 400));
      for (let r = 0; r < 6; r++) await expectAsReference(items, randomRequest(random), { ...randomOptions(random), semantic: false });
    }
  });

  it('semantic mode without any embedder falls back the same way', async () => {
    const report = await expectAsReference(SAMPLE, REQUESTS[0]!, { semantic: true });
    expect(report.fallback_reason).toBe('MODEL_UNAVAILABLE');
  });

  it('semantic mode on the vocabulary alone (the model failing): known tags by meaning, unknown ones exactly', async () => {
    const embedder = createLayeredEmbedder({ model: failingModel(), vocabulary: vocabularyPack() });
    const random = seededRandom(99);
    const items = randomWardrobe(random, 600);
    let judgedByMeaning = 0;
    for (const request of REQUESTS.slice(0, 4)) {
      const report = await expectAsReference(items, request, { semantic: true }, { embedder });
      expect(report.fallback_reason).toBe('MODEL_UNAVAILABLE');
      if (report.semantic_mode_active) judgedByMeaning++;
    }
    expect(judgedByMeaning).toBeGreaterThan(0);
  });

  describe('semantic mode on the real model', () => {
    let embedder: Embedder;
    beforeAll(() => (embedder = realModel()));

    it('the sample wardrobe and a generated wardrobe, every request and option set', async () => {
      let semanticReasons = 0;
      for (const items of [SAMPLE, generateWardrobe(3000, 7)]) {
        for (const request of REQUESTS) {
          for (const options of OPTIONS) {
            const report = await expectAsReference(items, request, { ...options, semantic: true }, { embedder });
            semanticReasons += report.items.flatMap((item) => item.reasons).filter((reason) => reason.mode === 'semantic').length;
          }
        }
      }
      expect(semanticReasons).toBeGreaterThan(0); // the comparison covered semantic verdicts, not only exact ones
    });

    it('seeded random wardrobes with messy, repeated, missing and empty tags', async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const random = seededRandom(1000 + seed);
        const items = randomWardrobe(random, 1 + Math.floor(random() * 400));
        for (let r = 0; r < 5; r++) await expectAsReference(items, randomRequest(random), { ...randomOptions(random), semantic: true }, { embedder });
      }
    });

    it('runs tuned to other thresholds and weights, one after the other, equal fresh filters with those options', async () => {
      const wardrobe = prepareWardrobe(SAMPLE);
      const prepared = await prepareRequest(wardrobe, REQUESTS[0]!, { semantic: true }, { embedder, ...still });
      // Back and forth, and one threshold at a time (a slider), as a page would tune one prepared request.
      const sequence: FilterOptionsInput[] = [OPTIONS[1]!, OPTIONS[3]!, {}, { dimensions: { mood: { threshold: 0.5 } } }, { dimensions: { mood: { threshold: 0.5 }, style: { threshold: 0.4 } } }, OPTIONS[1]!];
      for (const options of sequence) {
        const thresholds = Object.fromEntries(DIMENSIONS.map((d) => [d, options.dimensions?.[d]?.threshold])) as Partial<Record<Dimension, number>>;
        const tuned = runPrepared(prepared, { thresholds, ...(options.semanticWeight === undefined ? {} : { semanticWeight: options.semanticWeight }) });
        expectSameReport(preparedReport(tuned), await referenceFilter(SAMPLE, REQUESTS[0]!, { ...options, semantic: true }, { embedder, ...still }));
      }
    });

    it('pages, the ranked order and the flips between two runs match the full reports', async () => {
      const wardrobe = prepareWardrobe(SAMPLE);
      const traditional = await filterPrepared(wardrobe, REQUESTS[0]!, { semantic: false }, still);
      const semantic = await filterPrepared(wardrobe, REQUESTS[0]!, { semantic: true }, { embedder, ...still });
      const report = preparedReport(semantic);
      expect(itemVerdicts(semantic, rankedOrder(semantic).subarray(20, 45))).toStrictEqual(report.items.slice(20, 45));
      const byId = (r: FilterReport) => new Map(r.items.map((item) => [item.id, item.passed]));
      const before = byId(preparedReport(traditional));
      const after = byId(report);
      const flipped = Array.from(flippedItems(traditional, semantic), (index) => wardrobe.ids[index]);
      expect(flipped.length).toBeGreaterThan(0);
      expect(flipped).toEqual(SAMPLE.map((item) => item.id).filter((id) => before.get(id) !== after.get(id)));
      expect(semantic.passRate).toBe(report.filter_pass_rate);
      expect(semantic.rejectionCounts).toStrictEqual(report.rejection_counts);
    });
  });
});

describe('a prepared wardrobe', () => {
  it('does not change when the items it was prepared from change', async () => {
    const items = generateWardrobe(500, 3);
    const original = structuredClone(items);
    const wardrobe = prepareWardrobe(items);
    for (const item of items) {
      item.id = `changed-${item.id}`;
      item.style = 'zorblaxian';
      delete item.mood;
    }
    items.push({ id: 'late', style: 'casual' });
    const report = preparedReport(await filterPrepared(wardrobe, REQUESTS[0]!, {}, still));
    expectSameReport(report, await referenceFilter(original, REQUESTS[0]!, {}, still));
  });

  it('validates input: a clear issue with its place, or the prepared wardrobe', () => {
    const bad = parsePreparedWardrobe({ items: [{ id: 'a', style: 'casual' }, { id: 'b', mood: 3 }] });
    expect(bad).toEqual({ ok: false, issues: [{ path: 'items[1].mood', message: 'expected a string or an array of strings, received number' }] });
    const good = parsePreparedWardrobe([{ id: 'a', style: ['Smart_Casual', 'smart casual', ' '] }, { id: 'b' }]);
    expect(good.ok && good.value.dimensions.style.terms).toEqual(['smart casual']);
    expect(good.ok && Array.from(good.value.dimensions.style.itemSets)).toEqual([1, 0]);
    expect(good.ok && [itemTerms(good.value, 'style', 0), itemTerms(good.value, 'style', 1)]).toEqual([['smart casual'], []]);
  });

  it('decideItems (the per-item API) gives every verdict in input order', async () => {
    const items = generateWardrobe(300, 5);
    const report = await referenceFilter(items, REQUESTS[1]!, {}, still);
    const inOrder = items.map((item) => report.items.find((verdict) => verdict.id === item.id));
    expect(decideItems(items, normalizeRequest(REQUESTS[1]!), resolveOptions({}), null)).toStrictEqual(inOrder);
  });
});

const ODD_TAGS: Readonly<Record<Dimension, readonly string[]>> = {
  style: ['zorblaxian', 'Smart_Casual', 'smart-casual', 'ＣＡＳＵＡＬ', 'athleisure', 'cottagecore'],
  occasion: ['Beach_Day', 'hiking', 'job interview', 'zorbfest', 'DATE-NIGHT'],
  mood: ['grumpy', 'Happy', 'SAD', 'serene', 'melancholic', 'zorbish'],
};

/** Items written as badly as real catalogues: vocabulary and unknown tags, mixed case, separators, repeats, gaps. */
function randomWardrobe(random: () => number, count: number): Item[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const tag = (dimension: Dimension): string => {
    const base = random() < 0.8 ? pick(CONCEPT_MAPS[dimension].concepts.flatMap((c) => c.anchors)) : pick(ODD_TAGS[dimension]);
    return pick([base, base.toUpperCase(), base.replace(/ /g, '_'), ` ${base.replace(/ /g, '-')}  `, base.charAt(0).toUpperCase() + base.slice(1), '', '   ']);
  };
  return Array.from({ length: count }, (_, index) => {
    const item: Item = { id: `item-${index}` };
    for (const dimension of DIMENSIONS) {
      const roll = random();
      if (roll < 0.1) continue; // missing
      if (roll < 0.15) item[dimension] = [];
      else if (roll < 0.6) item[dimension] = tag(dimension);
      else {
        const tags = Array.from({ length: 1 + Math.floor(random() * 4) }, () => tag(dimension));
        if (random() < 0.3) tags.push(tags[0]!.toLowerCase()); // a repeat that normalizes to the same term
        item[dimension] = tags;
      }
    }
    return item;
  });
}

function randomRequest(random: () => number): FilterRequest {
  const request: Partial<Record<Dimension, string | string[]>> = {};
  for (const dimension of DIMENSIONS) {
    if (random() < 0.35) continue;
    const terms = CONCEPT_MAPS[dimension].concepts.flatMap((c) => c.anchors).concat(ODD_TAGS[dimension]);
    const pick = () => terms[Math.floor(random() * terms.length)]!;
    request[dimension] = random() < 0.7 ? pick() : [pick(), pick()];
  }
  return request;
}

function randomOptions(random: () => number): FilterOptionsInput {
  const dimensions = Object.fromEntries(
    DIMENSIONS.map((d) => [d, { threshold: Math.round(random() * 100) / 100, ...(random() < 0.15 ? { mode: 'exact' as const } : {}) }]),
  );
  return { dimensions, semanticWeight: Math.round(random() * 10) / 10 };
}

