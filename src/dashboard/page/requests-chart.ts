/**
 * Requests by HTTP status over the newest runs (sync_runs.requests_by_status), oldest on the
 * left: one stacked bar per run, a segment per status, and a legend with the totals, so the 429s
 * a run survived (and the 5xx it retried) stand out.
 */
import type { RecentRun } from '../../load/index.ts';
import { statusColour } from './colours.ts';
import { count, fx, when } from './format.ts';
import { type Html, html } from './html.ts';

const W = 480;
const LEFT = 52;
const TOP = 10;
const PLOT_H = 120;
const H = TOP + PLOT_H + 12;

/** 2xx first, then 3xx, 4xx, 429, 5xx, then network / timeout / unknown. */
function rank(status: string): string {
  if (status === '429') return '4z';
  return /^\d{3}$/.test(status) ? status : `9${status}`;
}

export function requestsChart(newestFirst: readonly RecentRun[]): Html {
  const runs = [...newestFirst].reverse();
  const totals = new Map<string, number>();
  for (const r of runs)
    for (const [status, n] of Object.entries(r.requestsByStatus))
      totals.set(status, (totals.get(status) ?? 0) + n);
  if (totals.size === 0) return html`<p class="empty">No requests recorded yet.</p>`;
  const statuses = [...totals.keys()].sort((a, b) => rank(a).localeCompare(rank(b)));
  const slot = (W - LEFT - 8) / Math.max(runs.length, 5);
  const barW = Math.min(36, slot * 0.7);
  const max = Math.max(1, ...runs.map((r) => Object.values(r.requestsByStatus).reduce((a, b) => a + b, 0)));
  const bars = runs.map((r, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    let y = TOP + PLOT_H;
    const segments = statuses
      .filter((s) => (r.requestsByStatus[s] ?? 0) > 0)
      .map((s) => {
        const n = r.requestsByStatus[s]!;
        const h = Math.max(1.5, (n / max) * PLOT_H);
        y -= h;
        return html`<rect data-status="${s}" data-value="${n}" x="${fx(x)}" y="${fx(y)}" width="${fx(barW)}" height="${fx(h)}" fill="${statusColour(s)}"><title>${when(r.startedAt)}: ${count(n)} × ${s}</title></rect>`;
      });
    return html`<g class="run" data-run-id="${r.runId}">${segments}</g>`;
  });
  return html`<svg class="chart" id="requests-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Requests by HTTP status over the last ${runs.length} runs">
<text class="axis" x="4" y="${TOP + 8}">${count(max)}</text>
<text class="axis" x="4" y="${TOP + PLOT_H}">requests</text>
<line x1="${LEFT}" x2="${W}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}" class="base"/>
${bars}
</svg>
<p class="legend" id="requests-legend">${statuses.map(
    (s) =>
      html`<span data-status="${s}"><i style="background:${statusColour(s)}"></i>${s}: ${count(totals.get(s)!)}</span>`,
  )}</p>`;
}
