// A @web/test-runner plugin for the React wrapper tests: react and react-dom ship CommonJS only, and
// the dev server serves files as they are (a browser has no `require`). It answers their bare imports
// with ES modules instead: one esbuild bundle holds react and react-dom (so both share one React),
// and a small module per import re-exports that import's names from it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MODULES = ['react', 'react-dom', 'react-dom/client'];
const PREFIX = '/__react-esm/';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The bundle's text, built once on first request. */
let bundle;
/** Each module's export names, asked for once. */
const exportNames = new Map();

export function reactEsm() {
  return {
    name: 'react-esm',
    resolveImport({ source }) {
      if (MODULES.includes(source)) return `${PREFIX}${source}.js`;
      return undefined;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const name = context.path.slice(PREFIX.length, -'.js'.length);
      if (name === '__bundle') {
        bundle ??= build({
          stdin: { contents: `export default { ${MODULES.map((m) => `${JSON.stringify(m)}: require(${JSON.stringify(m)})`).join(', ')} };`, resolveDir: ROOT },
          bundle: true,
          write: false,
          format: 'esm',
          target: 'es2022',
          define: { 'process.env.NODE_ENV': '"development"' },
          logLevel: 'silent',
        }).then((result) => result.outputFiles[0].text);
        return { body: await bundle, type: 'js' };
      }
      if (!MODULES.includes(name)) return undefined;
      // The names the module exports, as Node's require sees them: asked of another process, since
      // React's development build wraps `console`, which the test runner has replaced in this one.
      if (!exportNames.has(name)) {
        const script = `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(name)}))))`;
        exportNames.set(name, JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })).filter((key) => key !== 'default' && IDENTIFIER.test(key)));
      }
      const names = exportNames.get(name);
      return {
        body: `import modules from '${PREFIX}__bundle.js';\nconst m = modules[${JSON.stringify(name)}];\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
        type: 'js',
      };
    },
  };
}
