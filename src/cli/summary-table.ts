/** Plain-text table of a sync summary, for humans at the end of `sync` and `demo`. */
import { AuthRejectedError } from '../extract/errors/auth-rejected-error.ts';
import type { SyncSummary } from '../jobs/run-sync.ts';
import { EXIT } from './exit-codes.ts';
import { printJson, printOut } from './output.ts';

export function formatSummary(summary: SyncSummary): string {
  const head = [
    'stream',
    'status',
    'parts',
    'pages',
    'read',
    'inserted',
    'updated',
    'unchanged',
    'deleted',
    'rejected',
    'dropped',
    'requests',
    '429s',
  ];
  const rows = summary.streams.map((s) =>
    [
      s.stream,
      s.status,
      s.partitions,
      s.pages,
      s.counts.read,
      s.counts.inserted,
      s.counts.updated,
      s.counts.unchanged,
      s.counts.deleted,
      s.counts.rejected,
      s.counts.dropped,
      s.requests,
      s.rateLimited,
    ].map(String),
  );
  const total = (i: number) => String(rows.reduce((n, r) => n + Number(r[i]), 0));
  rows.push([
    'TOTAL',
    summary.status,
    total(2),
    total(3),
    total(4),
    total(5),
    total(6),
    total(7),
    total(8),
    total(9),
    total(10),
    total(11),
    total(12),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const failed = summary.streams.filter((s) => s.error);
  for (const s of failed) out.push(`${s.stream}: ${s.error!.name}: ${s.error!.message}`);
  out.push(`run ${summary.runId} ${summary.status} in ${(summary.durationMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}

/** The end of `sync` (inline or `--queue --wait`): the summary on stdout, the exit code it means. */
export function reportSummary(summary: SyncSummary, json: boolean | undefined): void {
  if (json) printJson(summary);
  else printOut(formatSummary(summary));
  if (summary.error?.code === AuthRejectedError.code) process.exitCode = EXIT.authRejected;
  else process.exitCode = summary.status === 'succeeded' ? EXIT.ok : EXIT.failure;
}
