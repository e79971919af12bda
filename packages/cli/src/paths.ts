import { fileURLToPath } from 'node:url';

/** The repository root, for the development tools (eval, bench, fetch-model) that read its files. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
