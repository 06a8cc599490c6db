/**
 * Every metric name and label the README and docs/ show is exported: the dashboard's and the
 * webhook receiver's registries, filled from a real (freshly migrated) warehouse, are the truth.
 * Checked: the rows of every "metric (prefix `…`)" table, and every `name{label="…"}` selector.
 */
import pg from 'pg';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateWarehouse } from '../../src/analytics/migration.ts';
import { createMetrics } from '../../src/dashboard/metrics.ts';
import { readWarehouseStats } from '../../src/dashboard/warehouse-stats.ts';
import { createWorkerMetrics } from '../../src/jobs/queue/worker-metrics.ts';
import { type Database, openDatabase, readerOnPool } from '../../src/load/index.ts';
import { createWebhookMetrics } from '../../src/webhooks/metrics.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { codeBlockLines, codeSpans, read, userDocs } from './markdown.ts';

/** Exported metric name → its label names (histograms: with `le`). */
type Exported = Map<string, Set<string>>;

async function exported(registries: Registry[]): Promise<Exported> {
  const out: Exported = new Map();
  for (const registry of registries) {
    const text = await registry.metrics();
    for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm))
      out.set(m[1]!, new Set(m[2] === 'histogram' ? ['le'] : []));
    for (const metric of registry.getMetricsAsArray()) {
      const labels = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
      for (const l of labels) out.get(metric.name)?.add(l);
    }
  }
  return out;
}

/** Rows of the "metric (prefix `p`)" tables: full names and the label words of the row. */
function tableRows(text: string): Array<{ names: string[]; labels: string[] }> {
  const rows: Array<{ names: string[]; labels: string[] }> = [];
  let prefix: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^\|\s*metric \(prefix `([a-z_]+)`\)/.exec(line);
    if (header) {
      prefix = header[1];
      continue;
    }
    if (!prefix) continue;
    if (!line.startsWith('|')) {
      prefix = undefined;
      continue;
    }
    const cells = line.split('|').slice(1, -1);
    if (cells.length < 2 || /^\s*-+\s*$/.test(cells[0]!)) continue;
    const names = [...cells[0]!.matchAll(/`([a-z_]+)`/g)].map((m) =>
      m[1]!.startsWith(prefix!) ? m[1]! : prefix + m[1]!,
    );
    const labels = cells[1]!.replace(/\([^)]*\)/g, '').match(/[a-z_]+/g) ?? [];
    rows.push({ names, labels });
  }
  return rows;
}

/** `name{a="x", b=~"y"}` selectors in code: the name as written and its label keys. */
function selectors(text: string): Array<{ name: string; labels: string[] }> {
  const code = [...codeSpans(text), ...codeBlockLines(text)].join('\n');
  return [...code.matchAll(/\b([a-z][a-z0-9_]*)\{([^}]*)\}/g)].map((m) => ({
    name: m[1]!,
    labels: [...m[2]!.matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!),
  }));
}

describe('metrics in the docs', () => {
  let pgDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let pool: pg.Pool;
  let metrics: Exported;

  beforeAll(async () => {
    pgDb = await createTestDatabase('docs_metrics');
    db = await openDatabase({ databaseUrl: pgDb.url, dataDir: '', schema: 'puffle' });
    await migrateWarehouse(db);
    pool = new pg.Pool({ connectionString: pgDb.url });
    const dashboard = createMetrics();
    dashboard.set({
      warehouse: await readWarehouseStats(readerOnPool(pool, 'puffle')),
      up: { postgres: true },
    });
    const webhooks = createWebhookMetrics(db);
    await webhooks.refresh();
    // A worker's series appear once it did something: one job of each outcome, one wait of each cause.
    const worker = createWorkerMetrics();
    worker.jobStarted('partition');
    worker.jobCompleted('partition');
    worker.jobFailed('partition');
    worker.budgetWaited({ waitedMs: 300, blockedMs: 100 });
    metrics = await exported([dashboard.registry, webhooks.registry, worker.registry]);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
    await pgDb?.drop();
  });

  it('finds the metrics tables (the check checks something)', () => {
    const rows = userDocs().flatMap((f) => tableRows(read(f)));
    expect(rows.length).toBeGreaterThan(10);
    expect(metrics.size).toBeGreaterThan(10);
  });

  it.each(userDocs())('%s: every metric and label shown is exported', (file) => {
    const text = read(file);
    const wrong: string[] = [];
    for (const { names, labels } of tableRows(text)) {
      for (const name of names) if (!metrics.has(name)) wrong.push(`no metric ${name}`);
      const known = new Set(names.flatMap((n) => [...(metrics.get(n) ?? [])]));
      for (const label of labels)
        if (!known.has(label)) wrong.push(`${names.join('/')} has no label ${label}`);
    }
    for (const { name, labels } of selectors(text)) {
      const full = [...metrics.keys()].filter((m) => m === name || m.endsWith(`_${name}`));
      if (!name.startsWith('puffle_sync_') && full.length === 0) continue; // not one of ours
      if (full.length === 0) wrong.push(`no metric ${name}`);
      for (const label of labels)
        if (!full.some((m) => metrics.get(m)!.has(label))) wrong.push(`${name} has no label ${label}`);
    }
    expect(wrong).toEqual([]);
  });
});
