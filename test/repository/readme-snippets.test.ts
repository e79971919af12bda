import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

// The README's TypeScript and JavaScript examples that import our packages are compiled, as a host
// app would compile them: strict, NodeNext, DOM, against the BUILT packages (dist/*.d.ts through the
// workspace links in node_modules/@semfilter). A snippet is every ```ts or ```js block with an
// import from '@semfilter/…'. Host variables a snippet takes for granted are declared: `items` and
// `request` here, the rest by an HTML comment right before the block:
//   <!-- snippet-prelude: declare const userId: string; -->
// Run `npm run build` first.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = join(ROOT, 'README.md');
/** Where the snippets are written (git-ignored): inside the repository, so node_modules/@semfilter resolves. */
const OUT = join(ROOT, 'test', 'repository', '.snippets');

/** Host variables most snippets use without declaring them; added to a snippet that uses and does not declare one. */
const SHARED_PRELUDE: Readonly<Record<string, string>> = {
  items: "declare const items: readonly { id: string; name?: string; style?: string; occasion?: string; mood?: string }[];",
  request: "declare const request: import('@semfilter/core').FilterRequest;",
};

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: true,
};

interface Snippet {
  /** The README line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** From the `<!-- snippet-prelude: … -->` comment before the block, if any. */
  readonly prelude: string;
}

/** The fenced ```ts / ```js blocks of a Markdown text that import from '@semfilter/…', with their preludes. */
function readmeSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent, fence, lang] = open as unknown as [string, string, string, string];
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(fence)) end++;
    const code = lines.slice(i + 1, end).map((l) => l.slice(Math.min(indent.length, l.length - l.trimStart().length))).join('\n');
    if (['ts', 'typescript', 'js', 'javascript'].includes(lang) && /^\s*import\s[^;]*?['"]@semfilter\//m.test(code)) {
      snippets.push({ line: i + 1, lang, code, prelude: preludeBefore(lines, i) });
    }
    i = end;
  }
  return snippets;
}

/** The text of a `<!-- snippet-prelude: … -->` comment ending on the last non-blank line before `fenceIndex`. */
function preludeBefore(lines: readonly string[], fenceIndex: number): string {
  let last = fenceIndex - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  if (last < 0 || !lines[last]!.trimEnd().endsWith('-->')) return '';
  let first = last;
  while (first > 0 && !lines[first]!.includes('<!--')) first--;
  const comment = lines.slice(first, last + 1).join('\n');
  return /<!--\s*snippet-prelude:([\s\S]*?)-->/.exec(comment)?.[1]?.trim() ?? '';
}

/** Names a snippet declares at its top level (imports, variables, functions, classes). */
function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('snippet.ts', code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
    else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const { name, namedBindings } = statement.importClause;
      if (name) names.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) names.add(namedBindings.name.text);
      else if (namedBindings) namedBindings.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

/** The file written for a snippet: its prelude, then the snippet as it stands in the README. */
function snippetFile(snippet: Snippet): { text: string; preludeLines: number } {
  const declared = declaredNames(snippet.code);
  const shared = Object.entries(SHARED_PRELUDE).filter(([name]) => !declared.has(name) && new RegExp(`\\b${name}\\b`).test(snippet.code)).map(([, line]) => line);
  const prelude = [`// README.md line ${snippet.line} (${snippet.lang})`, ...shared, ...(snippet.prelude === '' ? [] : [snippet.prelude])].join('\n');
  return { text: `${prelude}\n${snippet.code}\n`, preludeLines: prelude.split('\n').length };
}

/** Compiles the files and gives each one's diagnostics as "line: TS1234 message" (lines of the file). */
function compile(files: ReadonlyMap<string, string>): Map<string, string[]> {
  if (existsSync(OUT)) rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const paths = [...files].map(([name, text]) => {
    const path = join(OUT, name);
    writeFileSync(path, text);
    return path;
  });
  const program = ts.createProgram(paths, COMPILER_OPTIONS);
  const found = new Map<string, string[]>([...files.keys()].map((name) => [name, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const file = diagnostic.file;
    const name = file === undefined ? undefined : [...files.keys()].find((n) => file.fileName === join(OUT, n).replaceAll('\\', '/'));
    if (file === undefined || name === undefined) {
      // A diagnostic outside the snippets (options, lib files) concerns every snippet.
      for (const list of found.values()) list.push(`TS${diagnostic.code} ${message}`);
      continue;
    }
    const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    found.get(name)!.push(`${line + 1}: TS${diagnostic.code} ${message}`);
  }
  return found;
}

const BUILT = ['core/dist/browser/index.d.ts', 'core/dist/rollout/index.d.ts', 'elements/dist/debugger/define.d.ts'].map((p) => join(ROOT, 'node_modules', '@semfilter', p));

describe("the README's TypeScript and JavaScript snippets", () => {
  const snippets = readmeSnippets(readFileSync(README, 'utf8'));
  let results: Map<string, string[]>;

  beforeAll(() => {
    const missing = BUILT.filter((p) => !existsSync(p));
    if (missing.length > 0) throw new Error(`the packages are not built (no ${missing.join(', ')}): run npm run build first`);
    const files = new Map<string, string>();
    for (const snippet of snippets) files.set(`readme-line-${snippet.line}.ts`, snippetFile(snippet).text);
    files.set('control-wrong-events.ts', WRONG_EVENTS);
    files.set('control-right-events.ts', RIGHT_EVENTS);
    results = compile(files);
  }, 120_000);

  it('finds the snippets that import our packages', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    expect(snippets.some((s) => s.code.includes("'@semfilter/core/browser'"))).toBe(true);
    expect(snippets.some((s) => s.code.includes("'@semfilter/core/rollout'"))).toBe(true);
    expect(snippets.some((s) => s.code.includes("'@semfilter/elements/"))).toBe(true);
  });

  it('compiles each one under strict TypeScript against the built packages, without a diagnostic', () => {
    const failures = snippets.flatMap((snippet) => {
      const { preludeLines } = snippetFile(snippet);
      // Lines of the written file back to README lines: the snippet starts after the fence line.
      return results.get(`readme-line-${snippet.line}.ts`)!.map((d) => {
        const at = /^(\d+): /.exec(d);
        return at === null ? `README.md:${snippet.line}: ${d}` : `README.md:${snippet.line + Number(at[1]) - preludeLines}: ${d.slice(at[0].length)}`;
      });
    });
    expect(failures).toEqual([]);
  });

  // The harness must be able to fail: listeners typed as `any`, or a compile that never reads the
  // packages' types, would let every snippet through. These misuse each typed event once.
  it('reports a wrong event detail on every typed event target (the check can fail)', () => {
    const found = results.get('control-wrong-events.ts')!;
    const wrongLines = WRONG_EVENTS.split('\n').flatMap((text, i) => (text.includes('// wrong') ? [i + 1] : []));
    expect(wrongLines.length).toBe(9);
    // TS2339 on the detail's own type: on `Event` (no `detail`) it would mean the event is not typed at all.
    for (const line of wrongLines) {
      const onLine = found.filter((d) => d.startsWith(`${line}: `));
      expect(onLine, `line ${line}: ${WRONG_EVENTS.split('\n')[line - 1]}`).toHaveLength(1);
      expect(onLine[0]).toMatch(/^\d+: TS2339 Property '\w+' does not exist on type '(?!Event')/);
    }
    expect(found.filter((d) => !wrongLines.some((line) => d.startsWith(`${line}: `)))).toEqual([]);
  });

  it('compiles the right event details on the same targets', () => {
    expect(results.get('control-right-events.ts')).toEqual([]);
  });
});

const TARGETS = `import { createSemanticFilter } from '@semfilter/core/browser';
import { createRemoteConfig, createRollout } from '@semfilter/core/rollout';
import '@semfilter/elements/semfilter-debugger.js';
import '@semfilter/elements/semfilter-rollout-panel.js';
const filter = createSemanticFilter();
const remote = createRemoteConfig({ url: '/flags.json' });
const rollout = createRollout({ config: remote, user: { id: 'u' }, filter });
const element = document.createElement('semfilter-debugger');
const panel = document.createElement('semfilter-rollout-panel');
`;

const WRONG_EVENTS = `${TARGETS}
filter.addEventListener('progress', (e) => e.detail.state); // wrong
filter.addEventListener('statechange', (e) => e.detail.fraction); // wrong
rollout.addEventListener('decision', (e) => e.detail.reason); // wrong
rollout.addEventListener('guardrail', (e) => e.detail.decision); // wrong
rollout.addEventListener('rollback', (e) => e.detail.checks); // wrong
remote.addEventListener('change', (e) => e.detail.message); // wrong
remote.addEventListener('error', (e) => e.detail.config); // wrong
element.addEventListener('semfilter-toggle', (e) => e.detail.view); // wrong
panel.addEventListener('semfilter-rearm', (e) => e.detail.semantic); // wrong
`;

const RIGHT_EVENTS = `${TARGETS}
filter.addEventListener('progress', (e) => e.detail.fraction);
filter.addEventListener('statechange', (e) => [e.detail.state, e.detail.error, e.detail.failure?.message]);
filter.removeEventListener('progress', (e) => e.detail.loadedBytes);
filter.addEventListener('some-other-event', (e) => e.type);
rollout.addEventListener('decision', (e) => [e.detail.decision.reason, e.detail.previous.semantic]);
rollout.addEventListener('guardrail', (e) => e.detail);
rollout.addEventListener('rollback', (e) => [e.detail.metric, e.detail.value, e.detail.threshold]);
remote.addEventListener('change', (e) => [e.detail.config.version, e.detail.source]);
remote.addEventListener('error', (e) => e.detail.message.length);
element.addEventListener('semfilter-toggle', (e) => e.detail.semantic);
element.addEventListener('semfilter-view', (e) => e.detail.view);
element.addEventListener('semfilter-report', (e) => e.detail.filter_pass_rate);
panel.addEventListener('semfilter-rearm', (e) => e.detail.metric);
`;
