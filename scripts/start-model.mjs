// `npm start`'s model step: fetch the model when it is missing, as `npm test` does, but never keep
// the playground from starting. Without the model the page still works (vocabulary, exact matching
// for the rest) and tells the person which command brings the model.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/bin/semfilter.js', import.meta.url));
const result = spawnSync(process.execPath, [cli, 'fetch-model'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (result.status !== 0) {
  process.stderr.write(
    '\nstart: the model could not be fetched (the lines above say why); the playground starts without it.\n' +
      'start: semantic mode will use the embedded vocabulary only. Fix the cause, run `npm run fetch-model`, then reload the page.\n\n',
  );
}
