/** The longest a chart waits for an idle moment on a page that is never idle. */
const IDLE_TIMEOUT_MS = 500;

/**
 * Runs `work` when the main thread is idle (after the frame is painted), so it never shares a
 * frame with the update that asked for it; a timeout where requestIdleCallback is missing (Safari).
 */
export function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(work, 0);
}
