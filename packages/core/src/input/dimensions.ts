/** The wardrobe attributes semfilter compares, in report order. */
export const DIMENSIONS = ['style', 'occasion', 'mood'] as const;

/** One of the compared attributes: `style`, `occasion` or `mood`. */
export type Dimension = (typeof DIMENSIONS)[number];
