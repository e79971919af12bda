import { createSnapshotReporter, type RemoteConfig, type Rollout, type SnapshotReporter } from '@semfilter/core/rollout';
import demoConfig from './rollout.json';

/**
 * Fleet mode: the page's address names a fleet server (`fleet`) and a client key (`key`), as
 * `npm run serve` prints them (`semfilter serve --playground`). The rollout's config is then that
 * server's flag, followed over its event stream, and a snapshot reporter sends the rollout's metrics
 * there. The key is a public client key: it may stay in the address, but the page never logs it.
 */
export interface FleetTarget {
  /** The fleet server's base URL, without a trailing slash. */
  readonly server: string;
  /** The client key for the flag. */
  readonly key: string;
}

/** The flag fleet mode reads and reports for: demo/rollout.json's, which `npm run serve` creates on the server. */
export const FLEET_FLAG: string = demoConfig.flag;
/** How often fleet mode sends a snapshot: short, so a person sees it arrive (a real page would send every minute). */
export const FLEET_REPORT_MS = 10_000;
/** Fleet mode keeps its last good config apart from demo/rollout.json's, so neither mode starts on the other's copy. */
export const FLEET_CONFIG_STORAGE_KEY = 'semfilter-playground-fleet-config';

/**
 * The fleet target a query string names, or null. Both `fleet` (an http or https address) and `key`
 * are needed; anything else is left out and named in `warnings`, which never quote the key.
 */
export function readFleetTarget(search: string): { target: FleetTarget | null; warnings: string[] } {
  const params = new URLSearchParams(search);
  const server = params.get('fleet');
  const key = params.get('key')?.trim() ?? null;
  if (server === null && key === null) return { target: null, warnings: [] };
  if (server === null || key === null || key === '') return { target: null, warnings: ['fleet mode needs both `fleet` and `key` (open the address `npm run serve` prints)'] };
  let url: URL | null = null;
  try {
    url = new URL(server);
  } catch {
    // reported below
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return { target: null, warnings: [`fleet: "${server.slice(0, 80)}" is not an http or https address`] };
  return { target: { server: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, key }, warnings: [] };
}

/** The flag's config on the fleet server (its event stream is the same path with `/stream`). */
export function fleetConfigUrl(target: FleetTarget): string {
  return `${target.server}/v1/flags/${encodeURIComponent(FLEET_FLAG)}?key=${encodeURIComponent(target.key)}`;
}

/** What showFleetMode needs: the target, the rollout and its remote config, and the section's elements. */
export interface FleetModeOptions {
  readonly target: FleetTarget;
  readonly rollout: Rollout;
  readonly remote: RemoteConfig;
  /** The status line (role="status"). */
  readonly status: HTMLElement;
  /** The intro's sentence naming where the config comes from. */
  readonly source: HTMLElement;
  /** The intro's sentence saying how to get fleet mode (hidden in it). */
  readonly hint: HTMLElement;
}

/** Starts the snapshot reporter and keeps the status line saying what fleet mode does and how the last send went. */
export function showFleetMode({ target, rollout, remote, status, source, hint }: FleetModeOptions): SnapshotReporter {
  const reporter = createSnapshotReporter({ url: `${target.server}/v1/metrics`, clientKey: target.key, rollout, intervalMs: FLEET_REPORT_MS });
  // When the count last grew: a POST fires `sent`, a beacon (the tab hidden) only counts, and render looks every 2 s.
  let counted = 0;
  let lastSentAt: Date | null = null;

  hint.hidden = true;
  source.replaceChildren('The config is the fleet server\'s flag ', Object.assign(document.createElement('code'), { textContent: FLEET_FLAG }), ', pushed to this page as it changes.');
  status.hidden = false;

  // Error texts may quote a request's URL, and with it `?key=`: the page shows them without it.
  const redact = (message: string) => message.replaceAll(target.key, '[client key]').replaceAll(encodeURIComponent(target.key), '[client key]');
  const render = () => {
    const config = remote.config;
    const served =
      remote.source === 'remote'
        ? `config version ${config.version}`
        : remote.source === 'stored'
          ? `config version ${config.version} from the last visit, until the server answers`
          : 'no config from the server yet';
    const parts = [`Fleet mode: flag ${FLEET_FLAG} from ${target.server}, ${served}.`];
    if (remote.lastError !== null) parts.push(`Reading the config failed: ${redact(remote.lastError)}.`);
    const { sent, lastError } = reporter.status;
    if (sent > counted) [counted, lastSentAt] = [sent, new Date()];
    if (lastError !== null) parts.push(`Sending metrics failed: ${redact(lastError)}.`);
    else if (sent === 0 || lastSentAt === null) parts.push(`No snapshot sent yet (one every ${FLEET_REPORT_MS / 1000} s while requests run).`);
    else parts.push(`${sent} ${sent === 1 ? 'snapshot' : 'snapshots'} sent; last at ${clockTime(lastSentAt)}.`);
    const text = parts.join(' ');
    if (status.textContent !== text) status.textContent = text; // a live region: only a real change is announced
  };
  for (const type of ['sent', 'error']) reporter.addEventListener(type, render);
  for (const type of ['change', 'error']) remote.addEventListener(type, render);
  rollout.addEventListener('decision', render);
  // A recovery (a good fetch after a failed one, with the same config) fires no event: look again now and then.
  setInterval(render, 2000);
  render();
  reporter.start();
  return reporter;
}

/** 14:03:05, in the page's time zone. */
function clockTime(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
