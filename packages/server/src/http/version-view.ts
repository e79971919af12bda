import type { FlagVersion } from '../flag-document.js';

/** A version as the API shows it (times as ISO 8601). */
export function versionView(version: FlagVersion, etag?: string): Record<string, unknown> {
  return {
    flag: version.flag,
    version: version.version,
    ...(etag === undefined ? {} : { etag }),
    action: version.action,
    actor: version.actor,
    reason: version.reason,
    at: new Date(version.at).toISOString(),
    stageStartedAt: new Date(version.stageStartedAt).toISOString(),
    config: version.config,
    settings: version.settings,
    evidence: version.evidence,
  };
}
