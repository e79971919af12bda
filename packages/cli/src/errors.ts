/** Exit statuses of the `semfilter` command, as DESIGN.md gives them. */
export const EXIT = { OK: 0, BAD_INPUT: 2, MODEL_UNAVAILABLE: 3, UNEXPECTED: 70 } as const;

/** A failure the user can act on: its message goes to stderr, and the command exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Bad input or bad arguments (exit 2); the message names the file, line or field. */
export function badInput(message: string): CliError {
  return new CliError(message, EXIT.BAD_INPUT);
}

/** The model is needed and cannot be loaded (exit 3). */
export function modelUnavailable(message: string): CliError {
  return new CliError(message, EXIT.MODEL_UNAVAILABLE);
}
