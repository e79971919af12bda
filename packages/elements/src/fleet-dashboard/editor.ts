import { parseRolloutConfig } from '@semfilter/core/rollout';
import type { FlagVersionView } from './types.js';

/** An issue of the edited document, with the path the server and the library use (`config.stages[1]`). */
export interface EditIssue {
  readonly path: string;
  readonly message: string;
}

/** The edited document, or its issues. */
export type EditResult = { readonly ok: true; readonly config: unknown; readonly settings: unknown } | { readonly ok: false; readonly issues: readonly EditIssue[] };

/** The text the editor starts from: the version's config (without its version: the server sets it) and settings. */
export function editableText(version: FlagVersionView): string {
  const { version: _serverSets, ...config } = version.config;
  return JSON.stringify({ config, settings: version.settings }, null, 2);
}

/**
 * Checks the editor's text as the operator types: JSON first, then the config against the core's
 * schema (the same zod schema every client parses the served config with), so what the page accepts
 * is what clients accept. The settings are the server's to check (their issues come back on save).
 */
export function checkEdit(text: string, version: number): EditResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '(document)', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('config' in document)) {
    return { ok: false, issues: [{ path: '(document)', message: 'expected an object with "config" and, optionally, "settings"' }] };
  }
  const { config, settings, ...rest } = document as Record<string, unknown>;
  const extra = Object.keys(rest).map((key) => ({ path: key, message: 'unknown key: expected "config" and "settings" only' }));
  const withVersion = typeof config === 'object' && config !== null && !Array.isArray(config) ? { ...config, version } : config;
  const parsed = parseRolloutConfig(withVersion);
  const issues = [...extra, ...(parsed.ok ? [] : parsed.issues)];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config, settings };
}
