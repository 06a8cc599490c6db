/**
 * The puffle-sync status page at `/`: server-rendered from the same StatusReport as /api/status,
 * no script (it reloads itself with a meta refresh), one inline stylesheet.
 */
import type { StatusReport } from '../../jobs/status/index.ts';
import { HEALTH_COLOUR } from './colours.ts';
import { failedStreams } from './failed-streams.ts';
import { count, formatAge, seconds, when } from './format.ts';
import { Html, html } from './html.ts';
import { requestsChart } from './requests-chart.ts';
import { runTimeline } from './run-timeline.ts';
import { streamsTable } from './streams-table.ts';
import { STYLES } from './styles.ts';

export const REFRESH_SECONDS = 30;

export interface PageLinks {
  /** Bull Board's path, when a queue is configured. */
  queues?: string;
}

export function statusPage(report: StatusReport, links: PageLinks): string {
  return page(
    html`${summary(report)}
${failedStreams(report.streams)}
<div class="charts">
<section><h2>${lastRuns(report.runs.length, 'Last')}</h2>${runTimeline(report.runs)}</section>
<section><h2>Requests by HTTP status</h2>${requestsChart(report.runs)}</section>
</div>
<section><h2>Streams</h2><div class="scroll">${streamsTable(report.streams, { queue: report.queue !== undefined })}</div></section>`,
    links,
    `updated ${when(report.generatedAt)}`,
    worstColour(report),
  );
}

/** The page when the warehouse cannot be read: what is wrong, in one line, and it keeps retrying. */
export function unavailablePage(reason: string, links: PageLinks): string {
  return page(
    html`<section class="alert"><h2>Nothing to show</h2><p>${reason}</p></section>`,
    links,
    '',
    HEALTH_COLOUR.failed,
  );
}

const WORST_FIRST = ['failed', 'stale', 'running', 'never', 'fresh'] as const;

function worstColour(report: StatusReport): string {
  const worst = WORST_FIRST.find((h) => report.streams.some((s) => s.health === h)) ?? 'never';
  return HEALTH_COLOUR[worst];
}

function summary(report: StatusReport): Html {
  const by = (h: string) => report.streams.filter((s) => s.health === h).length;
  const last = report.runs[0];
  const survived = report.runs.reduce((n, r) => n + r.rateLimited, 0);
  const waited = report.runs.reduce((n, r) => n + r.rateLimitWaitSeconds, 0);
  return html`<section class="summary" id="summary">
<span><b>${by('fresh')}</b> fresh</span><span><b>${by('stale')}</b> stale</span><span><b>${by('failed')}</b> failed</span><span><b>${by('running')}</b> running</span><span><b>${by('never')}</b> never synced</span>
${
  last
    ? html`<span id="last-run">last run: <b>${last.status}</b> ${when(last.startedAt)} (${last.trigger}, ${seconds(last.durationSeconds)}, ${formatAge(ageOf(last.startedAt, report.generatedAt))} ago)</span>`
    : html`<span>no runs yet</span>`
}
<span id="rate-limits">${count(survived)} × 429 survived in ${lastRuns(report.runs.length, 'the last')}; requests waited ${seconds(waited)} in all</span>
</section>`;
}

function lastRuns(n: number, prefix: string): string {
  return n === 1 ? `${prefix} run` : `${prefix} ${n} runs`;
}

function ageOf(isoText: string, now: string): number {
  return (Date.parse(now) - Date.parse(isoText)) / 1000;
}

/** A dot in the colour of the worst stream, so a browser tab says it too. */
function favicon(colour: string): string {
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${colour}"/></svg>`)}`;
}

function page(body: Html, links: PageLinks, updated: string, worst: string): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>puffle-sync status</title>
<link rel="icon" href="${favicon(worst)}">
<style>${new Html(STYLES)}</style></head>
<body><header><h1>puffle-sync status</h1>
<nav>${links.queues ? html`<a href="${links.queues}">Queues (Bull Board)</a>` : ''}<a href="/api/status">JSON</a><a href="/metrics">Prometheus metrics</a></nav>
<span class="muted">${updated}${updated ? ' · ' : ''}refreshes every ${REFRESH_SECONDS} s</span></header>
<main>${body}</main></body></html>`.text;
}
