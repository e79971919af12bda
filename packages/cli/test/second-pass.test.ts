// Issue 19, point 10: what the command says when a flag is mistyped, a threshold is out of range,
// the request is empty, and what --help says about exit statuses. Runs the built bin, as cli.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const MODELS = fileURLToPath(new URL('../../../models', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'semfilter-cli-second-'));
const wardrobe = join(dir, 'wardrobe.json');
writeFileSync(wardrobe, JSON.stringify([{ id: 'blazer', style: 'classic', mood: 'calm' }]));

function semfilter(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('issue 19 point 10: the command line says what went wrong and what to do', () => {
  it('a mistyped flag gets a suggestion and the command\'s usage', () => {
    const { status, stdout, stderr } = semfilter(['filter', '--itmes', wardrobe]);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/semfilter filter: unknown option --itmes; did you mean --items\?/);
    expect(stderr).toMatch(/usage: semfilter filter --items FILE/);
    expect(stderr).not.toMatch(/\n\s+judge --pairs/); // the command's usage, not every command's
  });

  it('a mistyped command gets a suggestion', () => {
    const { status, stderr } = semfilter(['filtre']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/unknown command "filtre"; expected one of filter, .*; did you mean filter\?/);
  });

  it('an option far from every known one gets the usage and no guess', () => {
    const { status, stderr } = semfilter(['filter', '--items', wardrobe, '--colour', 'red']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/semfilter filter: unknown option --colour\n/);
    expect(stderr).not.toMatch(/did you mean/);
  });

  it('a threshold out of range gets a sentence naming the flag and the range, not an internal path', () => {
    const { status, stdout, stderr } = semfilter(['filter', '--items', wardrobe, '--mood', 'calm', '--threshold', 'mood=2']);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).not.toMatch(/options\.dimensions/);
    expect(stderr.trim()).toBe('semfilter filter: --threshold mood=2: expected a similarity from 0 to 1, received 2');
    expect(semfilter(['filter', '--items', wardrobe, '--threshold', 'mood=abc']).stderr.trim()).toBe(
      'semfilter filter: --threshold mood=abc: expected a similarity from 0 to 1, received "abc"',
    );
  });

  it('filter with no request still prints the report, and warns on stderr that everything passes', () => {
    const { status, stdout, stderr } = semfilter(['filter', '--items', wardrobe]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ filter_pass_rate: 1 });
    expect(stderr).toMatch(/^semfilter filter: warning: no --style, --occasion or --mood given: every item passes/);
  });

  it('--help lists every exit status, 1 and 70 included', () => {
    const { status, stdout } = semfilter(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/Exit status: 0 done, 1 a check failed \(backfill validate: FAIL or INCONCLUSIVE\), 2 bad input, 3 the model is needed and cannot be loaded, 70 an unexpected failure \(SEMFILTER_DEBUG=1 shows where\)\./);
  });
});

describe('a failure nobody foresaw', () => {
  // A fake stdout whose write throws a plain Error, as a closed or full output can: the one way to
  // reach the exit-70 path on purpose, since every failure a command foresees has its own status.
  const failingOut = { write: () => { throw new Error('write EPIPE'); } } as unknown as NodeJS.WritableStream;
  const collect = () => {
    let text = '';
    return { stream: { write: (chunk: string) => { text += chunk; return true; } } as unknown as NodeJS.WritableStream, text: () => text };
  };

  it('exits 70 with the message and how to get more, without a stack', async () => {
    const err = collect();
    expect(await main(['normalize', 'Smart_Casual'], failingOut, err.stream)).toBe(70);
    expect(err.text()).toBe('semfilter normalize: unexpected failure: write EPIPE\n(SEMFILTER_DEBUG=1 prints where it happened; please report it with that output)\n');
  });

  it('prints where it happened with SEMFILTER_DEBUG=1', async () => {
    const err = collect();
    const before = process.env.SEMFILTER_DEBUG;
    process.env.SEMFILTER_DEBUG = '1';
    try {
      expect(await main(['normalize', 'Smart_Casual'], failingOut, err.stream)).toBe(70);
    } finally {
      if (before === undefined) delete process.env.SEMFILTER_DEBUG;
      else process.env.SEMFILTER_DEBUG = before;
    }
    expect(err.text()).toMatch(/^semfilter normalize: unexpected failure: Error: write EPIPE\n\s+at /);
  });
});

describe('issue 19 point 11: the model build folder says what it is', () => {
  it('fetch-model leaves a note in models/.build saying it is safe to delete and what uses it', () => {
    // The fetched model, linked into a models folder of our own, beside a build folder from an earlier build.
    const models = join(dir, 'models');
    mkdirSync(join(models, '.build', 'work'), { recursive: true });
    symlinkSync(join(MODELS, 'Xenova'), join(models, 'Xenova'));
    const { status, stdout } = semfilter(['fetch-model'], { SEMFILTER_MODELS_DIR: models });
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(join(models, 'Xenova/all-MiniLM-L6-v2'));
    const note = join(models, '.build', 'README.txt');
    expect(existsSync(note)).toBe(true);
    expect(readFileSync(note, 'utf8')).toMatch(/safe to delete \(rm -rf models\/\.build\)[\s\S]*npm run bench/);
  });
});
