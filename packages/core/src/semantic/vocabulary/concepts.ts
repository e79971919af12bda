import type { Dimension } from '../../dimensions.js';
import type { PairHead } from '../pair-head.js';

/** A direction of meaning from one set of concepts (negative pole) to another (positive pole). */
export interface ConceptAxis {
  readonly name: string;
  readonly positive: readonly string[];
  readonly negative: readonly string[];
}

/** A family of tags that mean nearly the same for a dimension, named by its first anchor. */
export interface Concept {
  readonly id: string;
  /** Normalized tags that belong to the concept; unseen tags join the concept of their nearest anchor. */
  readonly anchors: readonly string[];
}

/** What a dimension knows: its concepts, which of them go together and which clash. */
export interface ConceptMap {
  readonly concepts: readonly Concept[];
  /** Concept pairs a request for one accepts for the other (symmetric). */
  readonly compatible: readonly (readonly [string, string])[];
  /**
   * [broad, narrow] concept pairs: a request for the broad concept accepts the narrow one's items,
   * not the reverse (a request for "casual" takes a rugged jacket; one for "rugged" wants more than
   * a casual tee).
   */
  readonly broader?: readonly (readonly [string, string])[];
  /** Concept pairs that clash (symmetric): vetoed with CONFLICT however similar they embed. */
  readonly opposed: readonly (readonly [string, string])[];
  /**
   * Axes of the dimension (calm to energetic, casual to formal…), each from one pole's concepts to
   * the other's: opposites that embed close together still fall on either side, which the pair
   * head reads (ConceptIndex.axisPositions).
   */
  readonly axes?: readonly ConceptAxis[];
  /** The pair head that scores this map's pairs; without one, the dimension's shipped head (PAIR_HEADS). */
  readonly head?: PairHead;
}

const style: ConceptMap = {
  axes: [
    { name: 'formality', positive: ['formal', 'business', 'classic'], negative: ['casual', 'lounge', 'sporty', 'streetwear', 'beachy'] },
    { name: 'loudness', positive: ['glam', 'edgy', 'streetwear'], negative: ['minimalist', 'classic'] },
    { name: 'softness', positive: ['romantic', 'boho'], negative: ['edgy', 'rugged', 'sporty'] },
  ],
  concepts: [
    { id: 'casual', anchors: ['casual', 'relaxed', 'laid back', 'everyday', 'easygoing', 'effortless', 'weekend', 'comfortable', 'off duty', 'informal', 'low key', 'chill', 'dressed down', 'basic', 'everyday wear', 'unfussy', 'no fuss', 'easy wearing'] },
    { id: 'classic', anchors: ['classic', 'timeless', 'traditional', 'heritage', 'old money', 'understated', 'refined', 'quiet luxury', 'tailored', 'ageless', 'conservative', 'sartorial', 'evergreen', 'well tailored'] },
    { id: 'smart casual', anchors: ['smart casual', 'business casual', 'polished', 'elevated casual', 'dressy casual', 'semi casual', 'semi formal', 'smart', 'put together', 'neat', 'office casual', 'dressed up casual'] },
    { id: 'formal', anchors: ['formal', 'black tie', 'white tie', 'elegant', 'dressy', 'sophisticated', 'evening', 'gala', 'cocktail', 'tuxedo', 'ceremonial', 'couture'] },
    { id: 'business', anchors: ['business', 'professional', 'corporate', 'office', 'executive', 'business formal', 'power suit', 'workwear office', 'boardroom', 'business attire', 'office wear', 'suiting', 'career wear'] },
    { id: 'sporty', anchors: ['sporty', 'athletic', 'athleisure', 'activewear', 'sport', 'gym', 'performance', 'training', 'track', 'running', 'sportswear', 'workout wear', 'sporty chic'] },
    { id: 'streetwear', anchors: ['streetwear', 'street style', 'urban', 'hip hop', 'skater', 'hypebeast', 'sneakerhead', 'oversized', 'street', 'sneaker culture', 'logo heavy', 'drip'] },
    { id: 'edgy', anchors: ['edgy', 'punk', 'grunge', 'rock', 'gothic', 'goth', 'emo', 'biker', 'alternative', 'rebellious', 'dark academia', 'metal', 'studded', 'badass', 'avant garde', 'industrial'] },
    { id: 'boho', anchors: ['boho', 'boho chic', 'hippie', 'free spirited', 'festival', 'earthy', 'folk', 'peasant', 'artsy', 'free spirit', 'prairie', 'woodstock'] },
    { id: 'minimalist', anchors: ['minimalist', 'clean', 'simple', 'sleek', 'scandinavian', 'modern', 'monochrome', 'capsule', 'neutral', 'pared back', 'essentialist', 'no frills', 'muted', 'streamlined', 'japandi'] },
    { id: 'romantic', anchors: ['romantic', 'feminine', 'girly', 'soft', 'delicate', 'frilly', 'lace', 'flowy', 'pretty', 'cottagecore', 'dreamy', 'ruffled', 'floral', 'princess', 'ballet', 'balletcore', 'soft girl'] },
    { id: 'vintage', anchors: ['vintage', 'retro', 'seventies', 'eighties', 'nineties', 'y2k', 'throwback', 'old school', 'mod', 'rockabilly', 'sixties', 'fifties', 'antique', 'thrifted', 'secondhand', 'old fashioned', 'pin up'] },
    { id: 'preppy', anchors: ['preppy', 'collegiate', 'ivy league', 'nautical', 'country club', 'schoolgirl', 'prep school', 'ivy', 'varsity', 'boarding school'] },
    { id: 'glam', anchors: ['glam', 'glamorous', 'sparkly', 'sequin', 'flashy', 'statement', 'extravagant', 'maximalist', 'luxe', 'red carpet', 'glitter', 'shiny', 'metallic', 'diva', 'dazzling', 'bling', 'showstopper', 'hollywood'] },
    { id: 'rugged', anchors: ['rugged', 'outdoorsy', 'utility', 'workwear', 'practical', 'western', 'cowboy', 'military', 'cargo', 'hiking', 'gorpcore', 'workman', 'mountain', 'durable', 'heavy duty', 'field', 'outdoor', 'techwear'] },
    { id: 'lounge', anchors: ['lounge', 'cozy', 'homewear', 'sleepwear', 'pajama', 'comfy', 'snug', 'nightwear', 'leisurewear'] },
    { id: 'beachy', anchors: ['beachy', 'resort', 'tropical', 'coastal', 'summery', 'surf', 'vacation', 'island', 'boardwalk', 'sun kissed'] },
  ],
  compatible: [
    ['casual', 'smart casual'], ['casual', 'lounge'], ['smart casual', 'classic'], ['smart casual', 'business'], ['smart casual', 'minimalist'], ['smart casual', 'preppy'],
    ['formal', 'classic'], ['formal', 'glam'], ['business', 'classic'], ['business', 'minimalist'],
    ['edgy', 'streetwear'], ['edgy', 'vintage'], ['boho', 'vintage'], ['boho', 'romantic'], ['boho', 'beachy'],
    ['romantic', 'vintage'], ['minimalist', 'classic'], ['preppy', 'classic'], ['sporty', 'streetwear'],
    ['lounge', 'sporty'], ['rugged', 'vintage'],
  ],
  broader: [
    ['casual', 'classic'], ['casual', 'minimalist'], ['casual', 'sporty'], ['casual', 'streetwear'], ['casual', 'boho'],
    ['casual', 'vintage'], ['casual', 'preppy'], ['casual', 'beachy'], ['casual', 'rugged'], ['casual', 'romantic'],
  ],
  opposed: [
    ['casual', 'formal'], ['sporty', 'formal'], ['lounge', 'formal'], ['streetwear', 'formal'], ['beachy', 'formal'],
    ['sporty', 'business'], ['lounge', 'business'], ['beachy', 'business'], ['edgy', 'preppy'], ['edgy', 'romantic'],
    ['minimalist', 'glam'], ['rugged', 'formal'], ['rugged', 'glam'], ['streetwear', 'classic'], ['lounge', 'glam'],
    ['edgy', 'classic'], ['boho', 'business'], ['sporty', 'glam'],
  ],
};

const occasion: ConceptMap = {
  axes: [
    { name: 'formality', positive: ['formal event', 'work', 'mourning', 'worship'], negative: ['home', 'sport', 'beach', 'outdoors'] },
    { name: 'festivity', positive: ['party', 'date', 'formal event'], negative: ['mourning', 'work', 'home'] },
    { name: 'exertion', positive: ['sport', 'outdoors'], negative: ['formal event', 'date', 'home'] },
  ],
  concepts: [
    { id: 'work', anchors: ['work', 'office', 'business meeting', 'meeting', 'conference', 'job interview', 'interview', 'presentation', 'workplace', 'client meeting', 'business trip', 'business', 'commute', 'networking event', 'business lunch'] },
    { id: 'everyday', anchors: ['everyday', 'daily', 'errands', 'weekend', 'brunch', 'coffee', 'casual outing', 'shopping', 'school', 'class', 'campus', 'lunch with friends', 'day out', 'casual'] },
    { id: 'formal event', anchors: ['formal event', 'wedding', 'gala', 'black tie event', 'formal dinner', 'ceremony', 'opera', 'ball', 'prom', 'banquet', 'award show', 'cocktail party', 'graduation', 'wedding guest', 'fundraiser', 'formal'] },
    { id: 'party', anchors: ['party', 'night out', 'clubbing', 'club', 'bar', 'concert', 'festival', 'nightlife', 'birthday', 'celebration', 'new years eve', 'happy hour', 'dance party', 'rave'] },
    { id: 'date', anchors: ['date night', 'date', 'dinner date', 'romantic dinner', 'anniversary', 'first date', 'valentines day'] },
    { id: 'sport', anchors: ['gym', 'workout', 'running', 'yoga', 'training', 'sports', 'tennis', 'cycling', 'exercise', 'fitness', 'jogging', 'pilates', 'marathon', 'football', 'swimming'] },
    { id: 'travel', anchors: ['travel', 'vacation', 'holiday', 'airport', 'flight', 'road trip', 'sightseeing', 'city break', 'trip'] },
    { id: 'beach', anchors: ['beach', 'pool party', 'resort', 'seaside', 'poolside', 'boat trip', 'summer vacation'] },
    { id: 'home', anchors: ['home', 'lounging', 'sleep', 'relaxing at home', 'movie night', 'staycation', 'work from home', 'bedtime', 'lazy sunday'] },
    { id: 'outdoors', anchors: ['outdoors', 'hiking', 'camping', 'trekking', 'mountain hike', 'backpacking', 'climbing', 'fishing', 'trail walk', 'mountaineering', 'skiing', 'hunting', 'safari'] },
    { id: 'picnic', anchors: ['picnic', 'garden', 'nature walk', 'park', 'farm', 'outdoor market', 'day in the park'] },
    { id: 'mourning', anchors: ['funeral', 'memorial', 'mourning', 'wake', 'memorial service'] },
    { id: 'worship', anchors: ['church', 'religious service', 'temple', 'mosque', 'sunday service'] },
  ],
  compatible: [
    ['everyday', 'travel'], ['everyday', 'picnic'], ['party', 'date'], ['beach', 'travel'], ['travel', 'picnic'], ['mourning', 'worship'],
    ['work', 'worship'],
  ],
  opposed: [
    ['work', 'beach'], ['work', 'party'], ['work', 'home'], ['sport', 'formal event'], ['sport', 'work'], ['sport', 'mourning'],
    ['mourning', 'party'], ['mourning', 'formal event'], ['mourning', 'beach'], ['mourning', 'date'], ['home', 'formal event'], ['beach', 'formal event'],
    ['outdoors', 'formal event'], ['sport', 'date'], ['beach', 'mourning'], ['party', 'worship'], ['home', 'work'],
    ['outdoors', 'work'], ['outdoors', 'date'], ['outdoors', 'mourning'], ['home', 'outdoors'],
    ['home', 'party'], ['formal event', 'everyday'],
  ],
  broader: [['sport', 'outdoors']],
};

const mood: ConceptMap = {
  axes: [
    { name: 'energy', positive: ['energetic', 'playful', 'angry', 'anxious'], negative: ['calm', 'relaxed', 'tired', 'cozy'] },
    { name: 'valence', positive: ['happy', 'playful', 'cozy', 'romantic'], negative: ['sad', 'angry', 'anxious'] },
    { name: 'assertiveness', positive: ['confident'], negative: ['shy'] },
    { name: 'gravity', positive: ['serious', 'elegant'], negative: ['playful'] },
  ],
  concepts: [
    { id: 'calm', anchors: ['calm', 'peaceful', 'serene', 'tranquil', 'zen', 'soothing', 'quiet', 'composed', 'gentle', 'grounded', 'placid', 'restful', 'still', 'balanced', 'centered', 'meditative', 'untroubled', 'collected', 'level headed', 'unflappable', 'unruffled', 'even tempered', 'cool headed', 'at peace', 'sedate', 'harmonious', 'mindful', 'steady', 'peaceable', 'hushed'] },
    { id: 'relaxed', anchors: ['relaxed', 'laid back', 'chill', 'mellow', 'easygoing', 'at ease', 'unhurried', 'unbothered', 'low key', 'casual', 'loose', 'breezy', 'effortless', 'kicked back', 'leisurely', 'easy breezy', 'unwinding', 'slow paced', 'go with the flow', 'free and easy', 'unpressured', 'chilled'] },
    { id: 'energetic', anchors: ['energetic', 'lively', 'dynamic', 'vibrant', 'excited', 'active', 'hyper', 'bubbly', 'pumped', 'spirited', 'high energy', 'electric', 'peppy', 'zesty', 'animated', 'buzzing', 'fired up', 'energized', 'invigorated', 'exuberant', 'enthusiastic', 'wired'] },
    { id: 'happy', anchors: ['happy', 'cheerful', 'joyful', 'sunny', 'optimistic', 'upbeat', 'bright', 'content', 'glad', 'delighted', 'positive', 'uplifting', 'elated', 'ecstatic', 'merry', 'jolly', 'gleeful', 'thrilled', 'blissful', 'radiant', 'hopeful', 'grateful'] },
    { id: 'sad', anchors: ['sad', 'melancholy', 'gloomy', 'somber', 'depressed', 'blue', 'down', 'sorrowful', 'unhappy', 'miserable', 'heartbroken', 'grieving', 'heavy hearted', 'mournful', 'tearful', 'dejected', 'despondent', 'forlorn', 'bleak', 'dismal', 'morose', 'woeful', 'low spirited', 'pessimistic'] },
    { id: 'confident', anchors: ['confident', 'bold', 'powerful', 'empowered', 'fierce', 'assertive', 'daring', 'strong', 'self assured', 'commanding', 'brave', 'courageous', 'fearless', 'unapologetic', 'proud', 'self confident', 'unstoppable', 'audacious', 'gutsy', 'secure', 'strong willed', 'self reliant', 'dominant', 'invincible', 'in control'] },
    { id: 'shy', anchors: ['shy', 'timid', 'reserved', 'insecure', 'introverted', 'self conscious', 'meek', 'bashful', 'awkward', 'hesitant', 'withdrawn', 'demure', 'coy', 'unsure', 'nervous around people', 'introvert', 'diffident', 'sheepish', 'self effacing', 'wallflower', 'unassuming', 'retiring', 'tongue tied', 'blushing'] },
    { id: 'romantic', anchors: ['romantic', 'sensual', 'flirty', 'loving', 'passionate', 'sexy', 'seductive', 'tender', 'amorous', 'affectionate', 'lovestruck', 'in love', 'intimate', 'flirtatious', 'smitten', 'adoring', 'devoted', 'infatuated', 'starry eyed', 'lovey dovey', 'enamored', 'swoony', 'besotted'] },
    { id: 'playful', anchors: ['playful', 'whimsical', 'quirky', 'fun', 'cheeky', 'silly', 'lighthearted', 'carefree', 'adventurous', 'goofy', 'zany', 'mischievous', 'spontaneous', 'jokey', 'frisky'] },
    { id: 'serious', anchors: ['serious', 'professional', 'focused', 'stern', 'businesslike', 'formal', 'austere', 'determined', 'solemn', 'earnest', 'grave', 'no nonsense', 'sober', 'disciplined', 'strict', 'purposeful', 'matter of fact', 'severe', 'studious', 'straight laced', 'buttoned up', 'responsible', 'sensible', 'dutiful', 'all business'] },
    { id: 'cozy', anchors: ['cozy', 'comfortable', 'snug', 'warm', 'homey', 'comforting', 'safe', 'nurturing', 'homely', 'toasty', 'hygge', 'cuddly', 'comfy', 'sheltered', 'warm and fuzzy', 'inviting', 'welcoming', 'cocooned', 'fireside', 'curled up', 'cushy', 'homelike'] },
    { id: 'angry', anchors: ['angry', 'aggressive', 'irritated', 'hostile', 'furious', 'frustrated', 'annoyed', 'enraged', 'irate', 'mad', 'bitter', 'resentful', 'grumpy', 'cranky', 'livid', 'fuming'] },
    { id: 'anxious', anchors: ['anxious', 'nervous', 'stressed', 'tense', 'worried', 'restless', 'uneasy', 'overwhelmed', 'jittery', 'on edge', 'panicked', 'frazzled', 'apprehensive', 'fidgety', 'uptight', 'panicky', 'frenzied', 'hectic'] },
    { id: 'elegant', anchors: ['elegant', 'sophisticated', 'refined', 'classy', 'poised', 'graceful', 'chic', 'glamorous', 'dignified', 'regal', 'stately', 'polished', 'cultured', 'tasteful', 'distinguished', 'ladylike', 'gracious', 'debonair', 'suave', 'urbane', 'cultivated', 'posh', 'luxurious', 'exquisite'] },
    { id: 'mysterious', anchors: ['mysterious', 'dark', 'brooding', 'moody', 'enigmatic', 'edgy', 'rebellious', 'intense', 'secretive', 'cryptic', 'shadowy', 'sultry', 'haunting', 'mystical', 'elusive', 'intriguing', 'noir', 'eerie', 'inscrutable', 'mystique', 'nocturnal', 'otherworldly', 'veiled'] },
    { id: 'nostalgic', anchors: ['nostalgic', 'sentimental', 'wistful', 'dreamy', 'reflective', 'reminiscent', 'bittersweet', 'longing', 'yearning', 'nostalgia', 'reminiscing', 'throwback', 'old soul', 'bygone', 'yesteryear', 'memory lane'] },
    { id: 'tired', anchors: ['tired', 'sleepy', 'exhausted', 'lazy', 'drained', 'sluggish', 'lethargic', 'weary', 'fatigued', 'worn out', 'drowsy', 'listless', 'burned out', 'groggy', 'run down', 'wiped out', 'low energy', 'knackered', 'sapped', 'depleted', 'jet lagged', 'bleary eyed', 'half asleep'] },
  ],
  compatible: [
    ['calm', 'cozy'], ['happy', 'playful'], ['happy', 'energetic'], ['energetic', 'confident'], ['energetic', 'playful'],
    ['confident', 'elegant'], ['confident', 'serious'], ['romantic', 'elegant'], ['romantic', 'nostalgic'], ['calm', 'nostalgic'],
    ['serious', 'elegant'], ['mysterious', 'confident'], ['happy', 'cozy'], ['calm', 'elegant'], ['happy', 'romantic'],
    ['cozy', 'tired'], ['calm', 'relaxed'], ['relaxed', 'cozy'],
  ],
  opposed: [
    ['calm', 'energetic'], ['calm', 'anxious'], ['calm', 'angry'], ['happy', 'sad'], ['happy', 'angry'], ['confident', 'shy'],
    ['serious', 'playful'], ['energetic', 'sad'], ['playful', 'sad'], ['energetic', 'tired'], ['cozy', 'anxious'],
    ['happy', 'anxious'], ['confident', 'anxious'], ['romantic', 'angry'], ['cozy', 'angry'],
    ['playful', 'mysterious'], ['happy', 'mysterious'], ['sad', 'confident'],
    ['relaxed', 'energetic'], ['relaxed', 'anxious'], ['relaxed', 'angry'], ['relaxed', 'serious'],
  ],
};

/** The curated concepts of each dimension: what the semantic filter knows before it sees any data. */
export const CONCEPT_MAPS: Readonly<Record<Dimension, ConceptMap>> = { style, occasion, mood };
