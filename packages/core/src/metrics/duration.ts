/**
 * "2 h 5 min", "45 s": a stage's dwell or a schedule's step as an operator reads it. One wording
 * for the server's promotion reasons and the fleet dashboard, so the two never disagree.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
