/**
 * The newest runs, oldest on the left, as an inline SVG drawn on the server: each run's duration
 * as a bar coloured by its status, and under it the records it read, wrote (inserted + updated)
 * and deleted. Every bar carries a tooltip with the exact figures.
 */
import type { RecentRun } from '../../load/index.ts';
import { RECORD_COLOUR, RUN_COLOUR } from './colours.ts';
import { count, fx, seconds, when } from './format.ts';
import { type Html, html } from './html.ts';

const W = 480;
const LEFT = 52;
const TOP = 18;
const DURATION_H = 80;
const GAP = 30;
const RECORDS_H = 100;
const BOTTOM = 34;
const H = TOP + DURATION_H + GAP + RECORDS_H + BOTTOM;

export function runTimeline(newestFirst: readonly RecentRun[]): Html {
  if (newestFirst.length === 0)
    return html`<p class="empty">No runs yet: start one with <code>npx puffle-sync sync</code>.</p>`;
  const runs = [...newestFirst].reverse();
  const slot = (W - LEFT - 8) / Math.max(runs.length, 5);
  const maxDuration = Math.max(1, ...runs.map((r) => r.durationSeconds));
  const maxRecords = Math.max(1, ...runs.map((r) => Math.max(r.read, r.inserted + r.updated, r.deleted)));
  const recordsTop = TOP + DURATION_H + GAP;
  const barW = Math.min(36, slot * 0.7);
  const labelEvery = Math.ceil(runs.length / 8);
  const groups = runs.map((r, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    const dh = Math.max(2, (r.durationSeconds / maxDuration) * DURATION_H);
    const written = r.inserted + r.updated;
    const third = barW / 3;
    const recordBar = (value: number, k: number, colour: string, what: string) => {
      const h = value > 0 ? Math.max(1.5, (value / maxRecords) * RECORDS_H) : 0;
      return html`<rect class="records ${what}" data-value="${value}" x="${fx(x + k * third)}" y="${fx(recordsTop + RECORDS_H - h)}" width="${fx(third - 1)}" height="${fx(h)}" fill="${colour}"/>`;
    };
    const tip = `${when(r.startedAt)} · ${r.trigger} · ${r.status} · ${seconds(r.durationSeconds)}\nread ${count(r.read)}, written ${count(written)}, deleted ${count(r.deleted)}, held ${count(r.held)}\n${count(r.requests)} requests, ${count(r.rateLimited)} × 429 (requests waited ${seconds(r.rateLimitWaitSeconds)} in all)`;
    return html`<g class="run" data-run-id="${r.runId}" data-status="${r.status}"><title>${tip}</title>
<rect class="duration" x="${fx(x)}" y="${fx(TOP + DURATION_H - dh)}" width="${fx(barW)}" height="${fx(dh)}" rx="2" fill="${RUN_COLOUR[r.status] ?? '#9aa3ad'}"/>
${r.rateLimited > 0 ? html`<text class="mark429" x="${fx(x + barW / 2)}" y="${fx(TOP + DURATION_H - dh - 3)}" text-anchor="middle">${r.rateLimited}×429</text>` : ''}
${recordBar(r.read, 0, RECORD_COLOUR.read, 'read')}${recordBar(written, 1, RECORD_COLOUR.written, 'written')}${recordBar(r.deleted, 2, RECORD_COLOUR.deleted, 'deleted')}
${i % labelEvery === 0 ? html`<text class="axis" x="${fx(x + barW / 2)}" y="${H - BOTTOM + 14}" text-anchor="middle">${r.startedAt.slice(5, 10)} ${r.startedAt.slice(11, 16)}</text><text class="axis trigger" x="${fx(x + barW / 2)}" y="${H - BOTTOM + 27}" text-anchor="middle">${r.trigger}</text>` : ''}</g>`;
  });
  return html`<svg class="chart" id="run-timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="The last ${runs.length} runs: duration, status and records read, written and deleted">
<text class="axis" x="4" y="${TOP + 8}">${seconds(maxDuration)}</text>
<text class="axis" x="4" y="${TOP + DURATION_H}">duration</text>
<line x1="${LEFT}" x2="${W}" y1="${TOP + DURATION_H}" y2="${TOP + DURATION_H}" class="base"/>
<text class="axis" x="4" y="${recordsTop + 8}">${count(maxRecords)}</text>
<text class="axis" x="4" y="${recordsTop + RECORDS_H}">records</text>
<line x1="${LEFT}" x2="${W}" y1="${recordsTop + RECORDS_H}" y2="${recordsTop + RECORDS_H}" class="base"/>
${groups}
</svg>
<p class="legend">${Object.entries(RUN_COLOUR).map(([s, c]) => html`<span><i style="background:${c}"></i>${s}</span>`)}
 · records: <span><i style="background:${RECORD_COLOUR.read}"></i>read</span><span><i style="background:${RECORD_COLOUR.written}"></i>written</span><span><i style="background:${RECORD_COLOUR.deleted}"></i>deleted</span></p>`;
}
