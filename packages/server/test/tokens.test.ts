import { describe, expect, it } from 'vitest';
import { hashToken, issueToken, matchToken, type Store, type TokenRecord } from '../src/index.js';
import { TokenCache } from '../src/http/auth.js';

describe('tokens', () => {
  it('are 256-bit random with a scope prefix, stored as their SHA-256 only, and matched only while live', () => {
    const admin = issueToken('admin', 'alice', null, 0);
    const client = issueToken('client', 'web', 'semantic-filter', 0);
    expect(admin.token).toMatch(/^sf_adm_[A-Za-z0-9_-]{43}$/); // 32 bytes of base64url
    expect(client.token).toMatch(/^sf_ck_/);
    expect(issueToken('debug', 'desk', null, 0).token).toMatch(/^sf_dbg_/);
    expect(admin.record.hash).toBe(hashToken(admin.token));
    expect(JSON.stringify(admin.record)).not.toContain(admin.token.slice(7));
    expect(issueToken('admin', 'alice', null, 0).token).not.toBe(admin.token);
    const records = [admin.record, client.record];
    expect(matchToken(admin.token, records)).toBe(admin.record);
    // One character changed (to one it is not already: 1 token in 64 ends in 'A').
    expect(matchToken(`${admin.token.slice(0, -1)}${admin.token.endsWith('A') ? 'B' : 'A'}`, records)).toBeNull();
    expect(matchToken('sf_adm_short', records)).toBeNull();
    expect(matchToken(admin.token, [{ ...admin.record, revokedAt: 1 }])).toBeNull();
    expect(() => issueToken('client', 'web', null, 0)).toThrow(/flag/);
  });

  it('never lets a slow reload from before a revoke bring the revoked token back', async () => {
    const live = issueToken('client', 'web', 'semantic-filter', 0);
    const revoked: TokenRecord = { ...live.record, revokedAt: 1 };
    // A fake store (the cache is what is tested): each listTokens() call waits for the test to answer it.
    const pending: ((records: TokenRecord[]) => void)[] = [];
    const fakeStore = { listTokens: () => new Promise<TokenRecord[]>((resolve) => pending.push(resolve)) } as unknown as Store;
    const cache = new TokenCache(fakeStore);
    const slow = cache.reload(); // read before the revoke…
    const fresh = cache.reload(); // …and after it (a notice)
    pending[1]!([revoked]);
    await fresh;
    expect(cache.find(live.token)).toBeNull();
    pending[0]!([live.record]); // the slow answer arrives last
    await slow;
    expect(cache.find(live.token)).toBeNull();
  });
});
