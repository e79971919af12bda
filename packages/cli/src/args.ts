import { parseArgs, type ParseArgsConfig } from 'node:util';
import { badInput } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking, turning its errors into exit-2 messages that name the command. */
export function parseCommandArgs<T extends Options>(command: string, args: readonly string[], options: T, allowPositionals = false): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    throw badInput(`semfilter ${command}: ${(error as Error).message}`);
  }
}
