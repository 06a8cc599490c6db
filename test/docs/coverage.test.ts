/**
 * docs/coverage.md accounts for every documented GET endpoint (docs/puffle-api.md's endpoint list)
 * and every catalog stream: one row per endpoint, each with an allowed verdict; a stream's row is
 * its own endpoint; an endpoint the client refuses (never-call.ts) reads "never called".
 */
import { describe, expect, it } from 'vitest';
import { assertReadOnlyEndpoint, FORBIDDEN } from '../../src/extract/never-call.ts';
import { STREAMS } from '../../src/extract/streams.ts';
import { read } from './markdown.ts';

interface CoverageRow {
  endpoint: string;
  verdict: string;
  /** Stream names a `stream …` / `streams …` verdict gives. */
  streams: string[];
}

/** The `GET /path` lines between the endpoint-list markers of docs/puffle-api.md. */
function documentedEndpoints(text = read('docs/puffle-api.md')): string[] {
  const list = /<!-- endpoint list[^>]*-->([\s\S]*?)<!-- end of endpoint list -->/.exec(text);
  if (!list) throw new Error('docs/puffle-api.md has no endpoint list');
  return [...list[1]!.matchAll(/^- `GET ([^`\s]+)`/gm)].map((m) => m[1]!);
}

function coverageRows(text = read('docs/coverage.md')): CoverageRow[] {
  return [...text.matchAll(/^\| `GET ([^`\s]+)` \| (.+) \|$/gm)].map((m) => {
    const verdict = m[2]!.trim();
    const named = /^streams? ((?:`[a-z_]+`(?:, )?)+)/.exec(verdict);
    return {
      endpoint: m[1]!,
      verdict,
      streams: named ? [...named[1]!.matchAll(/`([a-z_]+)`/g)].map((s) => s[1]!) : [],
    };
  });
}

const REASONS = [
  /^never called: side effect — \S/,
  /^duplicate of `GET \//,
  /^singleton of no analytic value/,
  /^polling helper/,
];

/** Tables a stream fills from its records' nested arrays (list_rows → list_cells): named beside it. */
const CHILD_TABLES = new Set<string>(STREAMS.flatMap((s) => (s.children ?? []).map((c) => c.table)));

const shape = (path: string) => path.replace(/\?.*$/, '').replace(/\{[^}]+\}/g, '{}');
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x');

function coverageProblems(rows: CoverageRow[], endpoints: string[], streams = STREAMS): string[] {
  const problems: string[] = [];
  const byEndpoint = new Map<string, CoverageRow>();
  for (const row of rows) {
    if (byEndpoint.has(row.endpoint)) problems.push(`${row.endpoint}: more than one row`);
    byEndpoint.set(row.endpoint, row);
    if (!endpoints.includes(row.endpoint))
      problems.push(`${row.endpoint}: not in docs/puffle-api.md's endpoint list`);
    if (row.streams.length === 0 && !REASONS.some((r) => r.test(row.verdict)))
      problems.push(`${row.endpoint}: verdict "${row.verdict}" is none of the allowed ones`);
  }
  for (const endpoint of endpoints)
    if (!byEndpoint.has(endpoint)) problems.push(`${endpoint}: no row in docs/coverage.md`);
  const known = new Map(streams.map((d) => [d.name as string, d]));
  for (const row of rows) {
    for (const name of row.streams) {
      const def = known.get(name);
      if (!def && !CHILD_TABLES.has(name)) problems.push(`${row.endpoint}: names unknown stream ${name}`);
      if (def && shape(def.path) !== shape(row.endpoint))
        problems.push(`${row.endpoint}: stream ${name} walks ${def.path}`);
    }
  }
  for (const def of streams) {
    const row = rows.find((r) => r.streams.includes(def.name));
    if (!row) problems.push(`stream ${def.name} (${def.path}) has no row in docs/coverage.md`);
  }
  // An endpoint the client refuses says so; a stream's endpoint is sent with the stream's parameters.
  for (const row of rows) {
    const params = new URLSearchParams(
      row.streams.flatMap((n) => Object.entries(known.get(n)?.params ?? {})),
    );
    let refused = false;
    try {
      assertReadOnlyEndpoint(concrete(row.endpoint), params);
    } catch {
      refused = true;
    }
    if (refused !== row.verdict.startsWith('never called'))
      problems.push(
        `${row.endpoint}: ${refused ? 'the client refuses it but the row does not say "never called"' : 'says "never called" but the client would send it'}`,
      );
  }
  for (const rule of FORBIDDEN)
    if (!endpoints.some((e) => rule.path.test(concrete(e))))
      problems.push(`never-called ${rule.path} is not in docs/puffle-api.md's endpoint list`);
  return problems;
}

describe('docs/coverage.md', () => {
  it('accounts for every documented GET endpoint and every catalog stream', () => {
    const endpoints = documentedEndpoints();
    expect(endpoints.length).toBeGreaterThan(60);
    expect(coverageProblems(coverageRows(), endpoints)).toEqual([]);
  });

  it('fails for a stream added to the catalog without a row', () => {
    const added = {
      ...STREAMS[0]!,
      name: 'shiny_new',
      path: '/api/shiny',
    } as unknown as (typeof STREAMS)[number];
    expect(coverageProblems(coverageRows(), documentedEndpoints(), [...STREAMS, added])).toContain(
      'stream shiny_new (/api/shiny) has no row in docs/coverage.md',
    );
  });

  it('fails for a documented endpoint without a row, a bad verdict, and a refused endpoint not marked', () => {
    const rows = coverageRows().filter((r) => r.endpoint !== '/api/context');
    rows.push({ endpoint: '/api/unipile/accounts', verdict: 'singleton of no analytic value', streams: [] });
    const problems = coverageProblems(rows, documentedEndpoints());
    expect(problems).toContain('/api/context: no row in docs/coverage.md');
    expect(problems).toContain('/api/unipile/accounts: more than one row');
    expect(problems).toContain(
      '/api/unipile/accounts: the client refuses it but the row does not say "never called"',
    );
    const bad = coverageProblems(
      [{ endpoint: '/api/context', verdict: 'not needed', streams: [] }],
      ['/api/context'],
      [],
    );
    expect(bad[0]).toBe('/api/context: verdict "not needed" is none of the allowed ones');
  });
});
