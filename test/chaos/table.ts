/** The results table: one row per scenario, the first differing rows under any mismatch. */
import type { ScenarioOutcome } from './types.ts';

const HEADERS = [
  'scenario',
  'runs',
  'requests',
  'faults',
  'restarts',
  'side-effects',
  'landed',
  'result',
] as const;

/** e.g. `kill 2, mutation 57`: each fault kind that reached the sync, and how often. */
export function landedText(o: ScenarioOutcome): string {
  const parts = Object.entries(o.landed)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([kind, n]) => `${kind} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function resultOf(o: ScenarioOutcome): string {
  if (o.problems.length === 0 && o.sideEffects === 0) return 'exact';
  return 'mismatch';
}

export function formatResults(outcomes: readonly ScenarioOutcome[]): string {
  const rows = outcomes.map((o) => [
    o.scenario,
    String(o.runs),
    String(o.requests),
    String(o.faults),
    String(o.restarts),
    String(o.sideEffects),
    landedText(o),
    resultOf(o),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (/^\d+$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const out = [line(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  for (const o of outcomes) {
    if (resultOf(o) === 'exact') continue;
    out.push('', `${o.scenario}:`);
    for (const p of o.problems.slice(0, 8)) out.push(`  - ${p}`);
    if (o.problems.length > 8) out.push(`  … ${o.problems.length - 8} more`);
    if (o.sideEffects > 0) out.push(`  - ${o.sideEffects} calls to endpoints that change data`);
  }
  return out.join('\n');
}
