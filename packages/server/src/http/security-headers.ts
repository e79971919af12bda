/**
 * The security headers every answer carries, as @fastify/helmet would set them for an API with one
 * operator page: computed once here rather than per request (helmet's per-request work halved the
 * config route's throughput in `npm run bench:server`).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/**
 * The dashboard page's policy: the API's, plus the one inline script a page of ES modules needs
 * (its import map), allowed by its hash rather than by 'unsafe-inline'. Everything else, scripts
 * and the admin API it calls, comes from this origin only.
 */
export function dashboardCsp(importMapSha256: string): string {
  return `default-src 'self'; script-src 'self' 'sha256-${importMapSha256}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}
