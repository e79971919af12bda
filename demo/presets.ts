import type { FilterRequest } from '@semfilter/core';

/** A request the playground offers as one click. */
export interface RequestPreset {
  readonly label: string;
  readonly request: FilterRequest;
}

/** Requests that show what semantic mode changes on the sample wardrobe. */
export const PRESETS: readonly RequestPreset[] = [
  { label: 'Classic at work, calm', request: { style: 'classic', occasion: 'work', mood: 'calm' } },
  { label: 'Casual Friday', request: { style: 'casual', occasion: 'office', mood: 'relaxed' } },
  { label: 'Date night', request: { style: 'romantic', occasion: 'date night', mood: 'flirty' } },
  { label: 'Weekend hike', request: { style: 'rugged', occasion: 'hiking', mood: 'energetic' } },
  { label: 'Black-tie gala', request: { style: 'formal', occasion: 'gala', mood: 'elegant' } },
  { label: 'Lazy Sunday at home', request: { style: 'lounge', occasion: 'home', mood: 'cozy' } },
];
