import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine, reportSchema } from '@semfilter/core';

// The built command, as `npx semfilter` runs it (`npm test` builds first).
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'semfilter-cli-'));

function semfilter(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const wardrobe = file('wardrobe.json', JSON.stringify({ items: [{ id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' }] }));
const blazerRequest = ['--style', 'casual', '--occasion', 'work', '--mood', 'calm'];

describe('semfilter embed', () => {
  it('prints the sentence-transformers vector for the model card sentence', () => {
    const { status, stdout } = semfilter(['embed', 'This is an example sentence']);
    expect(status).toBe(0);
    const [out] = JSON.parse(stdout) as { text: string; vector: number[] }[];
    expect(out!.text).toBe('This is an example sentence');
    expect(out!.vector).toHaveLength(384);
    expect(Math.hypot(...out!.vector)).toBeCloseTo(1, 5);
    const reference = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/reference-vectors.json'), 'utf8')).vectors.find((r: { text: string }) => r.text === out!.text);
    expect(cosine(Float32Array.from(out!.vector), Float32Array.from(reference.vector))).toBeGreaterThanOrEqual(0.99);
  });
});

describe('semfilter filter', () => {
  it('passes the classic blazer only in semantic mode, and the report says which mode ran', () => {
    const semantic = semfilter(['filter', '--items', wardrobe, ...blazerRequest, '--semantic']);
    const traditional = semfilter(['filter', '--items', wardrobe, ...blazerRequest]);
    expect([semantic.status, traditional.status]).toEqual([0, 0]);
    const on = reportSchema.parse(JSON.parse(semantic.stdout));
    const off = reportSchema.parse(JSON.parse(traditional.stdout));
    expect(on).toMatchObject({ semantic_mode_active: true, fallback_reason: null, filter_pass_rate: 1, items: [{ id: 'blazer', passed: true, reasons: [] }] });
    expect(off).toMatchObject({ semantic_mode_active: false, fallback_reason: 'DISABLED', filter_pass_rate: 0, rejection_reasons: ['style'] });
    expect(off.items[0]!.reasons).toEqual([{ dimension: 'style', code: 'EXACT_MISMATCH', requested: 'casual', actual: 'classic', mode: 'exact' }]);
  });

  it('takes per-dimension thresholds and exact dimensions', () => {
    const strict = semfilter(['filter', '--items', wardrobe, ...blazerRequest, '--semantic', '--exact', 'style', '--threshold', 'mood=0.9']);
    const report = reportSchema.parse(JSON.parse(strict.stdout));
    expect(report.dimension_modes).toEqual({ style: 'exact', occasion: 'semantic', mood: 'semantic' });
    expect(report.items[0]!.reasons).toMatchObject([{ dimension: 'style', code: 'EXACT_MISMATCH' }]);
    const bad = semfilter(['filter', '--items', wardrobe, '--threshold', 'mood=2']);
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/--threshold mood=2: expected a similarity from 0 to 1, received 2/);
  });

  it('exits 3, printing nothing on stdout, when semantic mode needs a model that is not there', () => {
    const { status, stdout, stderr } = semfilter(['filter', '--items', wardrobe, ...blazerRequest, '--semantic'], { SEMFILTER_MODELS_DIR: join(dir, 'no-models') });
    expect(status).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/model file .*no-models.*is missing: run `npm run fetch-model`/);
  });
});

describe('bad input: exit 2, nothing on stdout, and a message naming the place', () => {
  it.each([
    ['a truncated file', '[{"id": "a", "style": "casual"},\n {"id": "b", "sty', /truncated\.json: line 2: the JSON ends early/],
    ['a syntax error', '[{"id": "a"}\n {"id": "b"}]', /syntax\.json: line 2, column 2: invalid JSON/],
    ['an item without id', '[{"id": "a"}, {"style": "casual"}]', /no-id\.json: items\[1\]\.id: required/],
    ['a number where a tag belongs', '{"items": [{"id": "a", "mood": 7}]}', /number\.json: items\[0\]\.mood: expected a string or an array of strings, received number/],
    ['a 10 MB tag', JSON.stringify([{ id: 'a', style: 'x'.repeat(10 * 1024 * 1024) }]), /huge\.json: items\[0\]\.style: expected a tag of at most 200 characters/],
    ['not a wardrobe', '"hello"', /string\.json: items: expected an array of items/],
  ])('%s', (_, content, message) => {
    const name = String(message.source.match(/^([a-z-]+)\\\.json/)![1]) + '.json';
    const { status, stdout, stderr } = semfilter(['filter', '--items', file(name, content), '--style', 'casual']);
    expect(stderr).toMatch(message);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.length).toBeLessThan(2000);
  });

  it('a __proto__ key gives a safe result', () => {
    const path = file('proto.json', '[{"id": "a", "style": "casual", "__proto__": {"polluted": true}}]');
    const { status, stdout } = semfilter(['filter', '--items', path, '--style', 'casual']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ filter_pass_rate: 1, items: [{ id: 'a', passed: true }] });
  });

  it('a missing file, a missing flag, an unknown flag or command', () => {
    expect(semfilter(['filter', '--items', join(dir, 'nope.json')]).stderr).toMatch(/nope\.json: cannot read the file \(ENOENT\)/);
    expect(semfilter(['filter']).stderr).toMatch(/--items FILE is required/);
    expect(semfilter(['filter', '--items', wardrobe, '--colour', 'red']).stderr).toMatch(/semfilter filter: unknown option --colour/);
    const unknown = semfilter(['filtre']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "filtre"; expected one of filter, judge/);
  });
});

describe('semfilter judge', () => {
  let lines: Record<string, unknown>[];
  beforeAll(() => {
    const pairs = file('pairs.jsonl', [
      { dimension: 'style', requested: 'casual', item: 'classic', note: 'kept' },
      { dimension: 'mood', requested: 'happy', item: 'sad' },
      { dimension: 'style', requested: 'Smart_Casual', item: 'smart casual' },
    ].map((p) => JSON.stringify(p)).join('\n') + '\n');
    const { status, stdout } = semfilter(['judge', '--pairs', pairs]);
    expect(status).toBe(0);
    lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  });

  it('answers one line per pair, in order, with the input fields kept', () => {
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ dimension: 'style', requested: 'casual', item: 'classic', note: 'kept', traditional: false, semantic: true });
    expect(lines[1]).toMatchObject({ requested: 'happy', item: 'sad', traditional: false, semantic: false });
    expect(lines[2]).toMatchObject({ traditional: true, semantic: true, score: 1 });
    for (const line of lines) expect(typeof line.score).toBe('number');
  });

  it('names the line of a bad pair', () => {
    const bad = file('bad.jsonl', '{"dimension":"style","requested":"a","item":"b"}\n{"dimension":"colour","requested":"a","item":"b"}\n');
    const { status, stdout, stderr } = semfilter(['judge', '--pairs', bad]);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/bad\.jsonl: line 2: pair\.dimension: /);
  });
});
