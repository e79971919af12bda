import { z } from 'zod';
import { parseRolloutConfig, type RolloutConfig } from '@semfilter/core/rollout';
import type { Parsed } from '@semfilter/core';

/*
 * A flag on the server is a versioned document: the rollout config every client is served (the
 * client's own schema, unchanged, so an older client never meets a field it refuses) and the
 * server's rollout settings, which no client sees. Every change of either is a new version.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** One step of a promotion schedule: how long the stage must run, and how many PASS windows it needs, before the next. */
export const scheduleStepSchema = z.strictObject({
  /** The shortest time at this stage, ms (e.g. 86,400,000 for a day). */
  minDurationMs: z.number().int().min(0).max(365 * DAY_MS),
  /** Fleet windows that must PASS at this stage (INCONCLUSIVE ones do not count). */
  passWindows: z.number().int().min(0).max(100_000),
});

/** What the server does with a flag's rollout; none of it is served to clients. */
export const fleetSettingsSchema = z.strictObject({
  /** One step per stage but the last: promotion from stage i to i + 1 waits for step i. No schedule: promotion only by hand. */
  schedule: z.array(scheduleStepSchema).max(99).optional(),
  /** What a guardrail rollback does: switch semantic mode off for everyone, or go back one stage (off from the first). */
  onFail: z.enum(['kill', 'previousStage']).default('kill'),
  /** Paused: no scheduled promotion (guardrails still run and still roll back). Set by a person, and by every rollback. */
  paused: z.boolean().default(false),
});

/** The server's settings of one flag (see fleetSettingsSchema). */
export type FleetSettings = z.infer<typeof fleetSettingsSchema>;

/** The settings a flag starts with. */
export const DEFAULT_FLEET_SETTINGS: FleetSettings = { onFail: 'kill', paused: false };

/** The body of PUT /v1/flags/:flag: the config (its version is the server's to set) and why. */
export const flagPutSchema = z.strictObject({
  config: z.unknown(),
  // Checked by FlagService.put (defaults must not be filled in before it sees what was sent).
  settings: z.unknown().optional(),
  reason: z.string().min(1).max(500).optional(),
});

/** The body of a flag action (kill, promote, rollback, pause, resume, abort). */
export const flagActionSchema = z.strictObject({ reason: z.string().min(1).max(500).optional() }).optional();

/** What made a version. */
export const VERSION_ACTIONS = ['create', 'update', 'kill', 'promote', 'rollback', 'pause', 'resume', 'abort', 'guardrail-rollback', 'scheduled-promotion'] as const;
/** One of VERSION_ACTIONS. */
export type VersionAction = (typeof VERSION_ACTIONS)[number];

/** One version of a flag, as kept in history. */
export interface FlagVersion {
  readonly flag: string;
  readonly version: number;
  readonly config: RolloutConfig;
  readonly settings: FleetSettings;
  readonly action: VersionAction;
  /** The token name that made it, or "guardrails" / "schedule" for the server's own changes. */
  readonly actor: string;
  readonly reason: string | null;
  /** When, ms since the epoch. */
  readonly at: number;
  /** When the stage, mode and kill switch now in force began: the guardrail windows and the schedule count from here. */
  readonly stageStartedAt: number;
  /** For the server's own changes: what it saw (the windows and their checks). */
  readonly evidence: unknown;
}

/** Whether two configs run the same rollout (stage, mode, coverage, kill switch): if so, analysis carries on across the versions. */
export function sameRolloutStage(a: RolloutConfig, b: RolloutConfig): boolean {
  return a.mode === b.mode && a.stage === b.stage && a.coverage === b.coverage && a.killSwitch === b.killSwitch && JSON.stringify(a.stages) === JSON.stringify(b.stages);
}

/** The schedule's issues against the config's stages, as [path, message] pairs (the schema cannot see both). */
export function scheduleIssues(config: RolloutConfig, settings: FleetSettings): { path: string; message: string }[] {
  if (settings.schedule === undefined) return [];
  const stages = config.stages?.length;
  if (stages === undefined) return [{ path: 'settings.schedule', message: 'a schedule promotes through stages: the config needs stages with stage, not coverage' }];
  if (settings.schedule.length !== stages - 1) {
    return [{ path: 'settings.schedule', message: `expected ${stages - 1} step(s): one for each stage but the last (the config has ${stages} stages)` }];
  }
  return [];
}

/** Parses a config for the server: the client's schema (issue paths start at `config`, as the library's), with the version the server assigns. */
export function configWithVersion(value: unknown, version: number): Parsed<RolloutConfig> {
  const input = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, version } : value;
  return parseRolloutConfig(input);
}
