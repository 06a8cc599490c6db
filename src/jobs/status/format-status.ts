/** `puffle-sync status` as text: one row per stream, then errors, resume commands and the queue. */
import type { StatusReport } from './collect-status.ts';
import { formatAge } from './format-age.ts';

export function formatStatus(report: StatusReport): string {
  const withQueue = report.queue !== undefined;
  const head = [
    'stream',
    'sync',
    'health',
    'last success',
    'age',
    'target',
    'rows',
    'deleted',
    'held',
    'rejected',
    'last run',
    '429 wait',
    'dropped',
    ...(withQueue ? ['active', 'queued'] : []),
  ];
  const rows = report.streams.map((s) => [
    s.stream,
    s.selected,
    s.health,
    s.lastSuccessAt ?? 'never',
    s.ageSeconds === null ? '-' : formatAge(s.ageSeconds),
    formatAge(s.freshness.targetSeconds),
    String(s.rows),
    String(s.deletedRows),
    String(s.heldDeletions),
    String(s.rejectedRecords),
    s.lastRun?.status ?? '-',
    s.lastRun ? `${s.lastRun.rateLimitWaitSeconds.toFixed(1)}s` : '-',
    s.lastRun ? String(s.lastRun.valuesDropped) : '-',
    ...(withQueue ? [String(s.queue?.active ?? 0), String(s.queue?.waiting ?? 0)] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const s of report.streams) {
    if (s.rowsWithChanges > 0)
      out.push(
        `${s.stream}: ${s.rowsWithChanges} row(s) with a value dropped or repaired (their _changes column says which and why)`,
      );
    if (s.heldDeletions > 0)
      out.push(
        `${s.stream}: ${s.heldDeletions} deletions held by the mass-delete guard; the next complete walk applies or releases them (sync --accept-mass-deletes applies them now)`,
      );
    if (s.lastError)
      out.push(`${s.stream}: last error ${s.lastError.at ?? ''} ${s.lastError.name}: ${s.lastError.message}`);
    if (s.resumeCommand) out.push(`${s.stream}: resume with \`${s.resumeCommand}\``);
  }
  if (report.queue) {
    out.push(
      `queue: ${Object.entries(report.queue)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  } else {
    out.push('queue: no queue backend configured (REDIS_URL or PUFFLE_QUEUE_BACKEND)');
  }
  return out.join('\n');
}
