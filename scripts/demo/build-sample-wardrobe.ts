/**
 * Writes demo/sample-wardrobe.json: about 500 items written the way catalogue feeds write them.
 *
 *   npx tsx --conditions=@semfilter/source scripts/demo/build-sample-wardrobe.ts
 *
 * Each garment has the tags a merchandiser would give it — vocabulary terms, their synonyms and a
 * few terms the embedded vocabulary does not know (so the model has work to do). Each brand writes
 * tags in its own house style (Snake_Case, UPPER CASE, kebab-case, stray spaces), some items carry
 * two tags per attribute and a few miss one. Seeded: the same script writes the same file.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DIMENSIONS, seededRandom, type Dimension } from '@semfilter/core';

interface Garment {
  readonly name: string;
  readonly category: string;
  readonly tags: Readonly<Record<Dimension, readonly string[]>>;
}

const GARMENTS: readonly Garment[] = [
  { name: 'wool blazer', category: 'tailoring', tags: { style: ['classic', 'smart casual', 'business', 'tailored', 'polished'], occasion: ['work', 'office', 'business meeting', 'interview', 'conference'], mood: ['calm', 'confident', 'serious', 'poised', 'focused'] } },
  { name: 'crew-neck tee', category: 'tops', tags: { style: ['casual', 'minimalist', 'basic', 'everyday', 'laid back'], occasion: ['everyday', 'weekend', 'errands', 'brunch', 'work'], mood: ['relaxed', 'calm', 'chill', 'easygoing', 'happy'] } },
  { name: 'zip hoodie', category: 'tops', tags: { style: ['streetwear', 'casual', 'sporty', 'athleisure', 'urban'], occasion: ['weekend', 'gym', 'home', 'travel', 'errands'], mood: ['cozy', 'relaxed', 'lazy', 'comfortable', 'chill'] } },
  { name: 'straight-leg jeans', category: 'bottoms', tags: { style: ['casual', 'classic', 'everyday', 'vintage', 'denim'], occasion: ['everyday', 'weekend', 'date night', 'brunch', 'travel'], mood: ['relaxed', 'confident', 'easygoing'] } },
  { name: 'sequin mini dress', category: 'dresses', tags: { style: ['glam', 'glamorous', 'sparkly', 'dressy', 'party'], occasion: ['party', 'night out', "new year's eve", 'gala', 'clubbing'], mood: ['bold', 'fierce', 'energetic', 'playful', 'confident'] } },
  { name: 'evening gown', category: 'dresses', tags: { style: ['formal', 'elegant', 'black tie', 'glamorous'], occasion: ['gala', 'wedding', 'black tie event', 'formal dinner', 'red carpet'], mood: ['elegant', 'sophisticated', 'romantic', 'confident'] } },
  { name: 'floral midi dress', category: 'dresses', tags: { style: ['romantic', 'feminine', 'boho', 'cottagecore'], occasion: ['brunch', 'date', 'garden party', 'wedding guest', 'picnic'], mood: ['romantic', 'dreamy', 'happy', 'cheerful'] } },
  { name: 'high-rise leggings', category: 'activewear', tags: { style: ['sporty', 'athletic', 'athleisure', 'activewear'], occasion: ['gym', 'yoga', 'running', 'workout', 'errands'], mood: ['energetic', 'focused', 'motivated'] } },
  { name: 'slim chinos', category: 'bottoms', tags: { style: ['smart casual', 'preppy', 'business casual', 'classic'], occasion: ['work', 'office', 'date', 'brunch'], mood: ['calm', 'confident', 'relaxed'] } },
  { name: 'leather biker jacket', category: 'outerwear', tags: { style: ['edgy', 'rock', 'grunge', 'biker', 'moto'], occasion: ['night out', 'concert', 'date night', 'party'], mood: ['bold', 'rebellious', 'mysterious', 'confident'] } },
  { name: 'linen shirt', category: 'tops', tags: { style: ['beachy', 'resort', 'coastal', 'relaxed'], occasion: ['vacation', 'beach', 'holiday', 'resort', 'travel'], mood: ['relaxed', 'sunny', 'carefree', 'calm'] } },
  { name: 'pajama set', category: 'loungewear', tags: { style: ['lounge', 'loungewear', 'sleepwear', 'cozy'], occasion: ['home', 'sleep', 'lounging', 'movie night', 'wfh'], mood: ['cozy', 'sleepy', 'relaxed', 'calm'] } },
  { name: 'wool coat', category: 'outerwear', tags: { style: ['classic', 'timeless', 'minimalist', 'tailored'], occasion: ['work', 'travel', 'everyday', 'commute'], mood: ['calm', 'elegant', 'sophisticated', 'serious'] } },
  { name: 'two-piece suit', category: 'tailoring', tags: { style: ['formal', 'business', 'tailored', 'classic'], occasion: ['funeral', 'wedding', 'interview', 'business meeting', 'formal event'], mood: ['serious', 'somber', 'confident', 'elegant'] } },
  { name: 'cargo pants', category: 'bottoms', tags: { style: ['utility', 'streetwear', 'rugged', 'workwear'], occasion: ['hiking', 'outdoors', 'weekend', 'travel'], mood: ['energetic', 'adventurous', 'relaxed'] } },
  { name: 'flannel shirt', category: 'tops', tags: { style: ['rugged', 'outdoorsy', 'western', 'casual', 'lumberjack'], occasion: ['camping', 'hiking', 'weekend', 'outdoors'], mood: ['cozy', 'relaxed', 'calm'] } },
  { name: 'cable-knit cardigan', category: 'knitwear', tags: { style: ['preppy', 'vintage', 'classic', 'cozy', 'grandpa core'], occasion: ['everyday', 'work', 'brunch', 'church'], mood: ['cozy', 'calm', 'nostalgic', 'shy'] } },
  { name: 'low-top sneakers', category: 'shoes', tags: { style: ['sporty', 'streetwear', 'casual', 'minimalist'], occasion: ['everyday', 'gym', 'travel', 'weekend'], mood: ['energetic', 'playful', 'happy'] } },
  { name: 'satin slip dress', category: 'dresses', tags: { style: ['minimalist', 'nineties', 'romantic', 'sleek'], occasion: ['date night', 'party', 'dinner date', 'night out'], mood: ['sensual', 'flirty', 'romantic', 'mysterious'] } },
  { name: 'graphic tee', category: 'tops', tags: { style: ['streetwear', 'playful', 'quirky', 'skater'], occasion: ['weekend', 'concert', 'festival', 'errands'], mood: ['playful', 'fun', 'cheeky', 'happy'] } },
  { name: 'crochet top', category: 'tops', tags: { style: ['boho', 'hippie', 'free spirited', 'festival'], occasion: ['festival', 'concert', 'beach', 'vacation'], mood: ['happy', 'carefree', 'playful'] } },
  { name: 'penny loafers', category: 'shoes', tags: { style: ['preppy', 'classic', 'old money', 'smart casual'], occasion: ['work', 'office', 'brunch', 'date'], mood: ['confident', 'calm', 'refined'] } },
  { name: 'silk blouse', category: 'tops', tags: { style: ['elegant', 'feminine', 'polished', 'business casual'], occasion: ['work', 'meeting', 'dinner date', 'conference'], mood: ['elegant', 'poised', 'confident', 'serene'] } },
  { name: 'puffer jacket', category: 'outerwear', tags: { style: ['sporty', 'urban', 'outdoorsy', 'practical'], occasion: ['commute', 'outdoors', 'travel', 'skiing'], mood: ['cozy', 'warm', 'energetic'] } },
];

const COLOURS = ['navy', 'black', 'ivory', 'camel', 'olive', 'charcoal', 'cream', 'burgundy', 'indigo', 'rust', 'sage', 'blush'];

/** Each brand's feed writes tags its own way, as real feeds do. */
const BRANDS: ReadonlyArray<{ readonly name: string; readonly write: (tag: string) => string }> = [
  { name: 'Northline', write: (tag) => tag.replace(/ /g, '_').replace(/\b\w/g, (c) => c.toUpperCase()) },
  { name: 'ACME OUTLET', write: (tag) => tag.toUpperCase() },
  { name: 'maison écru', write: (tag) => tag.replace(/ /g, '-') },
  { name: 'Fieldnotes', write: (tag) => ` ${tag.charAt(0).toUpperCase()}${tag.slice(1)}  ` },
  { name: 'Studio Ren', write: (tag) => tag },
];

const ITEM_COUNT = 500;
const SEED = 20261123;

function buildWardrobe(): object[] {
  const random = seededRandom(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: ITEM_COUNT }, (_, index) => {
    const garment = pick(GARMENTS);
    const brand = pick(BRANDS);
    const colour = pick(COLOURS);
    const item: Record<string, unknown> = {
      id: `SKU-${String(10_000 + index * 7)}`,
      name: `${colour.charAt(0).toUpperCase()}${colour.slice(1)} ${garment.name}`,
      brand: brand.name,
      category: garment.category,
      price_eur: Math.round(19 + random() * 280),
    };
    for (const dimension of DIMENSIONS) {
      if (random() < 0.04) continue; // a few items miss a tag, as real catalogues do
      const first = pick(garment.tags[dimension]);
      const second = pick(garment.tags[dimension]);
      item[dimension] = random() < 0.2 && second !== first ? [brand.write(first), brand.write(second)] : brand.write(first);
    }
    return item;
  });
}

const target = fileURLToPath(new URL('../../demo/sample-wardrobe.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(buildWardrobe(), null, 1)}\n`);
console.log(`wrote ${ITEM_COUNT} items to ${target}`);
