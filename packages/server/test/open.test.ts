import { describe, expect, it } from 'vitest';
import { redactDbUrl } from '../src/index.js';

describe('redactDbUrl', () => {
  it('hides a password given in the authority or as a query parameter, and keeps the rest', () => {
    expect(redactDbUrl('postgres://fleet:s3cret@db:5432/semfilter')).toBe('postgres://fleet:***@db:5432/semfilter');
    const redacted = redactDbUrl('postgres://fleet@db:5432/semfilter?sslmode=require&password=s3cret');
    expect(redacted).not.toContain('s3cret');
    expect(redacted).toContain('sslmode=require');
    expect(redactDbUrl('sqlite:./semfilter-server.db')).toBe('sqlite:./semfilter-server.db');
  });
});
