/**
 * docs/alerts.yml stays loadable by Prometheus and true to what puffle-sync exports: rule groups
 * of alerts with an expression, a severity and a summary, and every `puffle_sync_*` metric they
 * name is registered by the dashboard or the worker (the one pending gauge is named below).
 * (`promtool check rules docs/alerts.yml` accepts the file too; promtool is not a test dependency.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics } from '../../src/dashboard/metrics.ts';
import { createWorkerMetrics } from '../../src/jobs/queue/worker-metrics.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(`${ROOT}docs/alerts.yml`, 'utf8');

interface Rule {
  alert?: string;
  expr?: unknown;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const doc = parse(text) as { groups: Array<{ name: string; rules: Rule[] }> };
const rules = doc.groups.flatMap((g) => g.rules);

/** Named by an alert before the metric exists: issue 11 adds this gauge to the dashboard. */
const PENDING = new Set<string>();

describe('docs/alerts.yml', () => {
  it('is Prometheus rule groups of alerts, each with an expression, a severity and a summary', () => {
    expect(doc.groups.length).toBeGreaterThan(0);
    for (const g of doc.groups) {
      expect(g.name).toMatch(/\S/);
      expect(g.rules.length).toBeGreaterThan(0);
    }
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(r.alert).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(typeof r.expr, r.alert).toBe('string');
      expect(['critical', 'warning', 'info']).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toMatch(/\S/);
      if (r.for !== undefined) expect(r.for).toMatch(/^\d+[smhd]$/);
    }
  });

  it('covers a failed run, a stale stream and held deletions', () => {
    const exprs = rules.map((r) => String(r.expr));
    expect(exprs.some((e) => /puffle_sync_runs_total\{status=~"failed\|partial"\}/.test(e))).toBe(true);
    expect(exprs.some((e) => e.includes('puffle_sync_last_success_timestamp_seconds'))).toBe(true);
    expect(exprs.some((e) => e.includes('puffle_sync_held_deletions'))).toBe(true);
  });

  it('names only metrics that puffle-sync exports', async () => {
    const exported = new Set(
      [createMetrics().registry, createWorkerMetrics().registry].flatMap((r) =>
        r.getMetricsAsArray().map((m) => m.name),
      ),
    );
    const named = new Set(rules.flatMap((r) => String(r.expr).match(/\bpuffle_sync_[a-z_]+/g) ?? []));
    expect(named.size).toBeGreaterThan(3);
    for (const name of named) {
      if (PENDING.has(name))
        expect(exported.has(name), `${name} exists now: drop it from PENDING`).toBe(false);
      else expect(exported.has(name), name).toBe(true);
    }
  });
});
