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
  { name: 'wool blazer', category: 'tailoring', tags: { style: ['classic', 'smart casual', 'business', 'tailored', 'polished', 'quiet luxury', 'power dressing'], occasion: ['work', 'office', 'business meeting', 'interview', 'conference', 'client lunch', 'board meeting', 'networking event', 'quarterly review'], mood: ['calm', 'confident', 'serious', 'poised', 'focused', 'self-assured', 'composed'] } },
  { name: 'crew-neck tee', category: 'tops', tags: { style: ['casual', 'minimalist', 'basic', 'everyday', 'laid back', 'wardrobe staple', 'effortless'], occasion: ['everyday', 'weekend', 'errands', 'brunch', 'work', 'school run', 'coffee run'], mood: ['relaxed', 'calm', 'chill', 'easygoing', 'happy', 'unbothered', 'low-key'] } },
  { name: 'zip hoodie', category: 'tops', tags: { style: ['streetwear', 'casual', 'sporty', 'athleisure', 'urban', 'off-duty', 'gorpcore'], occasion: ['weekend', 'gym', 'home', 'travel', 'errands', 'airport', 'lazy day', 'sofa day', 'quiet weekend'], mood: ['cozy', 'relaxed', 'lazy', 'comfortable', 'chill', 'snug', 'mellow'] } },
  { name: 'straight-leg jeans', category: 'bottoms', tags: { style: ['casual', 'classic', 'everyday', 'vintage', 'denim', 'americana', 'off-duty'], occasion: ['everyday', 'weekend', 'date night', 'brunch', 'travel', 'day out', 'pub'], mood: ['relaxed', 'confident', 'easygoing', 'unfussy'] } },
  { name: 'sequin mini dress', category: 'dresses', tags: { style: ['glam', 'glamorous', 'sparkly', 'dressy', 'party', 'disco', 'y2k'], occasion: ['party', 'night out', "new year's eve", 'gala', 'clubbing', 'hen party', 'birthday party', 'bar crawl'], mood: ['bold', 'fierce', 'energetic', 'playful', 'confident', 'extra', 'show-stopping', 'vivacious'] } },
  { name: 'evening gown', category: 'dresses', tags: { style: ['formal', 'elegant', 'black tie', 'glamorous', 'couture', 'red carpet glamour'], occasion: ['gala', 'wedding', 'black tie event', 'formal dinner', 'red carpet', 'opera', 'charity ball', 'awards night', 'theatre night'], mood: ['elegant', 'sophisticated', 'romantic', 'confident', 'regal', 'graceful'] } },
  { name: 'floral midi dress', category: 'dresses', tags: { style: ['romantic', 'feminine', 'boho', 'cottagecore', 'prairie', 'english garden'], occasion: ['brunch', 'date', 'garden party', 'wedding guest', 'picnic', 'baby shower', 'tea party', 'sunday lunch'], mood: ['romantic', 'dreamy', 'happy', 'cheerful', 'sweet', 'whimsical', 'girly', 'pretty', 'heart eyes'] } },
  { name: 'high-rise leggings', category: 'activewear', tags: { style: ['sporty', 'athletic', 'athleisure', 'activewear', 'gym wear', 'performance'], occasion: ['gym', 'yoga', 'running', 'workout', 'errands', 'pilates', 'spin class', 'marathon training'], mood: ['energetic', 'focused', 'motivated', 'pumped', 'driven', 'competitive'] } },
  { name: 'slim chinos', category: 'bottoms', tags: { style: ['smart casual', 'preppy', 'business casual', 'classic', 'ivy league', 'clean cut'], occasion: ['work', 'office', 'date', 'brunch', 'casual friday', 'team lunch', 'team offsite', 'strategy day'], mood: ['calm', 'confident', 'relaxed', 'put together', 'easy'] } },
  { name: 'leather biker jacket', category: 'outerwear', tags: { style: ['edgy', 'rock', 'grunge', 'biker', 'moto', 'punk', 'rocker chic'], occasion: ['night out', 'concert', 'date night', 'party', 'gig', 'dive bar'], mood: ['bold', 'rebellious', 'mysterious', 'confident', 'badass', 'defiant'] } },
  { name: 'linen shirt', category: 'tops', tags: { style: ['beachy', 'resort', 'coastal', 'relaxed', 'riviera', 'mediterranean'], occasion: ['vacation', 'beach', 'holiday', 'resort', 'travel', 'beach wedding', 'boat trip', 'poolside'], mood: ['relaxed', 'sunny', 'carefree', 'calm', 'breezy', 'sun-kissed'] } },
  { name: 'pajama set', category: 'loungewear', tags: { style: ['lounge', 'loungewear', 'sleepwear', 'cozy', 'homewear', 'sleepwear'], occasion: ['home', 'sleep', 'lounging', 'movie night', 'wfh', 'self-care sunday', 'sleepover', 'staycation', 'duvet day'], mood: ['cozy', 'sleepy', 'relaxed', 'calm', 'snug', 'drowsy'] } },
  { name: 'wool coat', category: 'outerwear', tags: { style: ['classic', 'timeless', 'minimalist', 'tailored', 'scandi', 'understated'], occasion: ['work', 'travel', 'everyday', 'commute', 'city break', 'museum visit'], mood: ['calm', 'elegant', 'sophisticated', 'serious', 'collected', 'measured'] } },
  { name: 'two-piece suit', category: 'tailoring', tags: { style: ['formal', 'business', 'tailored', 'classic', 'sharp', 'power dressing'], occasion: ['funeral', 'wedding', 'interview', 'business meeting', 'formal event', 'court hearing', 'memorial service', 'graduation', 'charity auction'], mood: ['serious', 'somber', 'confident', 'elegant', 'dignified', 'solemn'] } },
  { name: 'cargo pants', category: 'bottoms', tags: { style: ['utility', 'streetwear', 'rugged', 'workwear', 'techwear', 'military'], occasion: ['hiking', 'outdoors', 'weekend', 'travel', 'road trip', 'festival camping'], mood: ['energetic', 'adventurous', 'relaxed', 'intrepid', 'gritty'] } },
  { name: 'flannel shirt', category: 'tops', tags: { style: ['rugged', 'outdoorsy', 'western', 'casual', 'lumberjack', 'cabincore', 'americana'], occasion: ['camping', 'hiking', 'weekend', 'outdoors', 'bonfire', 'farmers market', 'cabin weekend'], mood: ['cozy', 'relaxed', 'calm', 'homey', 'grounded'] } },
  { name: 'cable-knit cardigan', category: 'knitwear', tags: { style: ['preppy', 'vintage', 'classic', 'cozy', 'grandpa core', 'dark academia', 'librarian chic'], occasion: ['everyday', 'work', 'brunch', 'church', 'library', 'book club', 'game night', 'rainy day'], mood: ['cozy', 'calm', 'nostalgic', 'shy', 'wistful', 'bookish'] } },
  { name: 'low-top sneakers', category: 'shoes', tags: { style: ['sporty', 'streetwear', 'casual', 'minimalist', 'retro', 'sneakerhead'], occasion: ['everyday', 'gym', 'travel', 'weekend', 'theme park', 'sightseeing'], mood: ['energetic', 'playful', 'happy', 'bouncy', 'upbeat'] } },
  { name: 'satin slip dress', category: 'dresses', tags: { style: ['minimalist', 'nineties', 'romantic', 'sleek', 'bias cut', 'lingerie inspired'], occasion: ['date night', 'party', 'dinner date', 'night out', 'cocktail bar', 'anniversary dinner'], mood: ['sensual', 'flirty', 'romantic', 'mysterious', 'seductive', 'alluring', 'coquettish', 'heart eyes'] } },
  { name: 'graphic tee', category: 'tops', tags: { style: ['streetwear', 'playful', 'quirky', 'skater', 'skate', 'band tee'], occasion: ['weekend', 'concert', 'festival', 'errands', 'skate park', 'comic con'], mood: ['playful', 'fun', 'cheeky', 'happy', 'goofy', 'irreverent'] } },
  { name: 'crochet top', category: 'tops', tags: { style: ['boho', 'hippie', 'free spirited', 'festival', 'seventies', 'bohemian'], occasion: ['festival', 'concert', 'beach', 'vacation', 'music festival', 'beach bar'], mood: ['happy', 'carefree', 'playful', 'free', 'sun-drenched'] } },
  { name: 'penny loafers', category: 'shoes', tags: { style: ['preppy', 'classic', 'old money', 'smart casual', 'ivy', 'collegiate'], occasion: ['work', 'office', 'brunch', 'date', 'lunch meeting', 'gallery opening', 'client workshop'], mood: ['confident', 'calm', 'refined', 'assured', 'cultured'] } },
  { name: 'silk blouse', category: 'tops', tags: { style: ['elegant', 'feminine', 'polished', 'business casual', 'ladylike', 'parisian chic'], occasion: ['work', 'meeting', 'dinner date', 'conference', 'work dinner', 'presentation', 'product launch'], mood: ['elegant', 'poised', 'confident', 'serene', 'graceful', 'collected'] } },
  { name: 'puffer jacket', category: 'outerwear', tags: { style: ['sporty', 'urban', 'outdoorsy', 'practical', 'apres ski', 'gorpcore'], occasion: ['commute', 'outdoors', 'travel', 'skiing', 'snow day', 'winter walk', 'ski trip'], mood: ['cozy', 'warm', 'energetic', 'toasty', 'snug'] } },
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
