/** For each stream whose newest run failed: what went wrong and the command that resumes it. */
import type { StreamStatus } from '../../jobs/status/index.ts';
import { when } from './format.ts';
import { type Html, html } from './html.ts';

export function failedStreams(streams: readonly StreamStatus[]): Html {
  const failed = streams.filter((s) => s.health === 'failed');
  if (failed.length === 0) return html``;
  return html`<section id="failed" class="alert">
<h2>${failed.length === 1 ? '1 stream failed' : `${failed.length} streams failed`}</h2>
${failed.map(
  (s) => html`<div class="failed-stream" data-stream="${s.stream}">
<h3>${s.stream}</h3>
<p class="error-text">${s.lastError ? html`<b>${s.lastError.name}</b>: ${s.lastError.message} <span class="muted">(${when(s.lastError.at)})</span>` : 'the run ended without an error message'}</p>
<p>Resume it where it stopped: <code class="resume">${s.resumeCommand}</code></p>
</div>`,
)}
</section>`;
}
