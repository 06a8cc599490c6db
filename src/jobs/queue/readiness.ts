/**
 * A worker's readiness (`/readyz`): can it reach Postgres and its queue backend right now, each
 * within `timeoutMs`? `/healthz` stays liveness (the process takes jobs); an orchestrator stops
 * routing to — or alerting on — a worker that is alive but cut off, without restarting it.
 */
import { probe, type SourceHealth } from '../source-probe.ts';

export interface ReadinessReport {
  ok: boolean;
  [backend: string]: SourceHealth | boolean;
}

export async function checkReadiness(
  probes: Record<string, () => Promise<unknown>>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => probe(probes[name]!, timeoutMs, name)));
  const report: ReadinessReport = { ok: results.every((r) => r === 'ok') };
  names.forEach((name, i) => {
    report[name] = results[i]!;
  });
  return report;
}
