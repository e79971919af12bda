import { describe, expect, it } from 'vitest';
import { formatDuration } from '../src/metrics/index.js';

describe('formatDuration', () => {
  it('words seconds, minutes and hours as an operator reads them, dropping a zero remainder', () => {
    expect([44_600, 59_499, 60_000, 3_599_000, 3_600_000, 3_900_000, 7_200_000].map(formatDuration)).toEqual(['45 s', '59 s', '1 min', '59 min', '1 h', '1 h 5 min', '2 h']);
  });
});
