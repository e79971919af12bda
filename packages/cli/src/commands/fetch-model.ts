import { ModelUnavailableError } from '@semfilter/core';
import { fetchModel } from '@semfilter/node';
import { parseCommandArgs } from '../args.js';
import { modelUnavailable } from '../errors.js';

/** `semfilter fetch-model`: makes sure the model files are present and intact (fetchModel of @semfilter/node), and prints where. */
export async function fetchModelCommand(args: readonly string[]): Promise<string> {
  parseCommandArgs('fetch-model', args, {});
  try {
    return `${await fetchModel()}\n`;
  } catch (error) {
    if (error instanceof ModelUnavailableError) throw modelUnavailable(error.message); // exit 3
    throw error;
  }
}
