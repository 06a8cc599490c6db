/**
 * One row per stream: health colour, whether the configured selection syncs it, last success and
 * age against its target, rows, errors, 429 wait.
 */
import type { StreamStatus } from '../../jobs/status/index.ts';
import { HEALTH_COLOUR } from './colours.ts';
import { count, formatAge, seconds, when } from './format.ts';
import { type Html, html } from './html.ts';

export function streamsTable(streams: readonly StreamStatus[], opts: { queue: boolean }): Html {
  const rows = streams.map((s) => {
    const overdue = s.freshness.overdueSeconds;
    const age =
      s.ageSeconds === null
        ? html`<span class="muted">never</span>`
        : html`${formatAge(s.ageSeconds)} <span class="muted">/ ${formatAge(s.freshness.targetSeconds)}</span>${overdue !== null && overdue > 0 ? html` <span class="late">+${formatAge(overdue)}</span>` : ''}`;
    const error = s.lastError
      ? html`<span class="error" title="${s.lastError.name}: ${s.lastError.message}">${s.lastError.name}: ${oneLine(s.lastError.message)}</span>`
      : html`<span class="muted">–</span>`;
    return html`<tr class="stream ${s.health}" data-stream="${s.stream}" data-health="${s.health}">
<td><i class="dot" style="background:${HEALTH_COLOUR[s.health]}"></i>${s.stream}</td>
<td>${s.health}</td>
<td class="selected">${s.selected === 'on' ? 'on' : html`<span class="muted">${s.selected}</span>`}</td>
<td>${when(s.lastSuccessAt)}</td>
<td class="freshness">${age}</td>
<td class="num">${count(s.rows)}</td>
<td class="num">${count(s.deletedRows)}</td>
<td class="num">${count(s.heldDeletions)}</td>
<td class="num">${count(s.rejectedRecords)}</td>
<td class="num rate-limits">${rateLimits(s)}</td>
${opts.queue ? html`<td class="num">${s.queue ? `${s.queue.active} / ${s.queue.waiting}` : '–'}</td>` : ''}
<td class="last-error">${error}</td>
</tr>`;
  });
  return html`<table id="streams">
<thead><tr><th>stream</th><th>health</th><th>sync</th><th>last success</th><th>age / target</th><th class="num">rows</th><th class="num">deleted</th><th class="num">held</th><th class="num">rejected</th><th class="num">429s (wait), last run</th>${opts.queue ? html`<th class="num">jobs active / queued</th>` : ''}<th>last error</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

function rateLimits(s: StreamStatus): Html | string {
  if (!s.lastRun) return '–';
  if (s.lastRun.rateLimited === 0) return html`<span class="muted">0</span>`;
  return `${count(s.lastRun.rateLimited)} × (${seconds(s.lastRun.rateLimitWaitSeconds)})`;
}

/** The first line, at most 120 characters; the full text is in the tooltip. */
function oneLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
