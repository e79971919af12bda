// Reads a Chrome trace of the element bench (scripts/bench/element-profile.ts --trace): where the
// renderer main thread's time goes inside each timed update and edit (the page's
// performance.measure windows), in the gap after it (the frame's paint, deferred tasks), in tasks
// over 50 ms, and which JavaScript functions have the most self time (the V8 sampling profiler).
import type { TraceEvent } from './element-drag.js';

/** Browser phases the summary tells apart; a nested event's time counts for its own phase only. */
const PHASES: Readonly<Record<string, string>> = {
  UpdateLayoutTree: 'style',
  RecalculateStyles: 'style',
  Layout: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  CompositeLayers: 'paint',
  Commit: 'paint',
  MinorGC: 'gc',
  MajorGC: 'gc',
  'V8.GC_SCAVENGER': 'gc',
  'V8.GC_MARK_COMPACTOR': 'gc',
  'V8.GCScavenger': 'gc',
  BlinkGC: 'gc',
  'v8.compile': 'compile',
  'V8.CompileCode': 'compile',
  'V8.CompileLazy': 'compile',
  'v8.parseOnBackground': 'compile',
  'V8.OptimizeCode': 'compile',
  FunctionCall: 'script',
  EvaluateScript: 'script',
  'v8.run': 'script',
  'v8.callFunction': 'script',
  RunMicrotasks: 'script',
  EventDispatch: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  FireIdleCallback: 'script',
  HitTest: 'other',
  RunTask: 'other',
  'ThreadControllerImpl::RunTask': 'other',
};

interface Span {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

interface Sample {
  readonly at: number;
  readonly weight: number;
  readonly frame: string;
}

const fmt = (us: number) => (us / 1000).toFixed(1);

/** The renderer main thread of the page that made the measures. */
function mainThread(events: readonly TraceEvent[]): { pid: number; tid: number } {
  const measure = events.find((e) => e.cat.includes('blink.user_timing') && /^(update|edit) \d+$/.test(e.name));
  if (measure === undefined) throw new Error('the trace holds no update measures: is test/bench/element.js measuring?');
  const thread = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === measure.pid && (e.args as { name?: string }).name === 'CrRendererMain');
  if (thread === undefined) throw new Error('the trace names no renderer main thread');
  return { pid: thread.pid, tid: thread.tid };
}

/** The page's update and edit measures as time windows, in trace microseconds. */
function windows(events: readonly TraceEvent[], pid: number): Span[] {
  const begins = new Map<string, number>();
  const spans: Span[] = [];
  for (const e of events) {
    if (e.pid !== pid || !e.cat.includes('blink.user_timing') || !/^(update|edit) \d+$/.test(e.name)) continue;
    const key = `${e.name} ${e.id ?? e.id2?.local ?? ''}`;
    if (e.ph === 'b') begins.set(key, e.ts);
    else if (e.ph === 'e' && begins.has(key)) spans.push({ name: e.name, start: begins.get(key)!, end: e.ts });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The main thread's complete events (B/E pairs joined), sorted by start, longest first on ties. */
function threadSpans(events: readonly TraceEvent[], pid: number, tid: number): Span[] {
  const spans: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.ph === 'X' && e.dur !== undefined) spans.push({ name: e.name, start: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const begin = open.pop();
      if (begin !== undefined) spans.push({ name: begin.name, start: begin.ts, end: e.ts });
    }
  }
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Self time per phase of the spans clipped to [from, to]: each span's time minus its children's. */
function phases(spans: readonly Span[], from: number, to: number): Map<string, number> {
  const totals = new Map<string, number>();
  const stack: { span: Span; phase: string; child: number }[] = [];
  const close = (until: number) => {
    while (stack.length > 0 && stack.at(-1)!.span.end <= until) pop();
  };
  const pop = () => {
    const top = stack.pop()!;
    const own = Math.min(top.span.end, to) - Math.max(top.span.start, from);
    totals.set(top.phase, (totals.get(top.phase) ?? 0) + own - top.child);
    if (stack.length > 0) stack.at(-1)!.child += own;
  };
  for (const span of spans) {
    if (span.end <= from || span.start >= to || !(span.name in PHASES)) continue;
    close(span.start);
    const phase = PHASES[span.name] === 'other' && stack.length > 0 ? stack.at(-1)!.phase : PHASES[span.name]!;
    stack.push({ span, phase, child: 0 });
  }
  while (stack.length > 0) pop();
  return totals;
}

function phaseText(totals: Map<string, number>): string {
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  const parts = [...totals.entries()].filter(([, us]) => us >= 50).sort((a, b) => b[1] - a[1]).map(([phase, us]) => `${phase} ${fmt(us)}`);
  return `busy ${fmt(busy)} ms (${parts.join(', ') || 'nothing'})`;
}

/** The sampling profiler's samples on the main thread, each with its leaf function and the time it stands for. */
function samples(events: readonly TraceEvent[], pid: number, tid: number): Sample[] {
  type Node = { id: number; callFrame: { functionName: string; url?: string; lineNumber?: number }; parent?: number };
  const starts = new Map<string, number>();
  for (const e of events) if (e.name === 'Profile' && e.pid === pid && e.tid === tid) starts.set(e.id!, (e.args as { data: { startTime: number } }).data.startTime);
  const out: Sample[] = [];
  for (const [id, start] of starts) {
    const nodes = new Map<number, Node>();
    let at = start;
    const raw: { at: number; node: number }[] = [];
    for (const e of events) {
      if (e.name !== 'ProfileChunk' || e.id !== id || e.pid !== pid) continue;
      const data = (e.args as { data: { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] } }).data;
      for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
      const ids = data.cpuProfile?.samples ?? [];
      ids.forEach((node, i) => raw.push({ at: (at += data.timeDeltas?.[i] ?? 0), node }));
    }
    raw.forEach((sample, i) => {
      const frame = nodes.get(sample.node)?.callFrame;
      const name = frame === undefined ? '?' : `${frame.functionName || '(anonymous)'} ${(frame.url ?? '').split('/').at(-1)}:${(frame.lineNumber ?? -1) + 1}`;
      out.push({ at: sample.at, weight: Math.min(1000, (raw[i + 1]?.at ?? sample.at) - sample.at), frame: name });
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

function topFunctions(all: readonly Sample[], spans: readonly { start: number; end: number }[], count: number): string[] {
  const totals = new Map<string, number>();
  for (const s of all) if (s.frame !== '(idle) :0' && spans.some((w) => s.at >= w.start && s.at < w.end)) totals.set(s.frame, (totals.get(s.frame) ?? 0) + s.weight);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([frame, us]) => `    ${fmt(us).padStart(6)} ms  ${frame}`);
}

/** The lines to print for a trace of one drag and its edits. */
export function traceLines(events: readonly TraceEvent[]): string[] {
  const { pid, tid } = mainThread(events);
  const spans = threadSpans(events, pid, tid);
  const measured = windows(events, pid);
  const profile = samples(events, pid, tid);
  const lines = ['trace of the renderer main thread, self time per phase (ms):'];
  measured.forEach((w, i) => {
    const gapEnd = measured[i + 1]?.start ?? w.end + 50_000;
    lines.push(`  ${w.name.padEnd(9)} ${fmt(w.end - w.start).padStart(5)} ms: ${phaseText(phases(spans, w.start, w.end))}; until the next: ${phaseText(phases(spans, w.end, gapEnd))}`);
  });
  const tasks = spans.filter((s) => s.name === 'RunTask' || s.name === 'ThreadControllerImpl::RunTask');
  const long = tasks.filter((s, i) => s.end - s.start > 50_000 && !tasks.slice(0, i).some((outer) => outer.start <= s.start && outer.end >= s.end)); // outermost only
  const origin = measured[0]?.start ?? 0;
  for (const task of long) lines.push(`  task over 50 ms at ${fmt(task.start - origin)} ms from the first update: ${fmt(task.end - task.start)} ms, ${phaseText(phases(spans, task.start, task.end))}`);
  const updates = measured.filter((w) => w.name.startsWith('update'));
  const edits = measured.filter((w) => w.name.startsWith('edit'));
  lines.push('  functions by self time inside the drag updates:', ...topFunctions(profile, updates, 15));
  lines.push('  functions by self time inside the first 4 drag updates:', ...topFunctions(profile, updates.slice(0, 4), 12));
  lines.push('  functions by self time inside the edits:', ...topFunctions(profile, edits, 15));
  if (long.length > 0) lines.push('  functions by self time inside tasks over 50 ms:', ...topFunctions(profile, long, 12));
  return lines;
}
