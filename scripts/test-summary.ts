/**
 * The plain summary line CI prints after `npm test`, read from vitest's JSON report:
 * `npx tsx scripts/test-summary.ts .vitest-results.json <epoch ms the run started>`.
 * It fails (exit 1, saying why) when the report is missing or older than this run (a leftover
 * must never be printed as the current result), and when any test failed, was skipped or is a
 * todo: biome refuses `.skip`/`.only` in code, this catches what only shows at run time
 * (`skipIf`, `runIf`, `ctx.skip()`), since CI installs every tool a test may be skipped without.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The fields of vitest's JSON reporter (Jest's format) this summary reads. */
export interface VitestResults {
  startTime: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
}

export interface Summary {
  line: string;
  ok: boolean;
}

export function summarize(results: VitestResults, startedAtMs: number): Summary {
  if (!(results.startTime >= startedAtMs))
    return {
      line: `test summary: the results file is from an earlier run (started ${new Date(results.startTime).toISOString()}), not this one`,
      ok: false,
    };
  const skipped = results.numPendingTests + results.numTodoTests;
  const parts = [
    `${results.numPassedTests} passed`,
    `${results.numFailedTests} failed`,
    `${skipped} skipped`,
  ];
  // A failed suite with no failed test: a file that failed to load, or a failing hook.
  if (results.numFailedTestSuites > 0 && results.numFailedTests === 0)
    parts.push(`${results.numFailedTestSuites} suite(s) failed outside any test`);
  const ok = results.numFailedTests === 0 && results.numFailedTestSuites === 0 && skipped === 0;
  return {
    line: parts.join(', ') + (skipped > 0 ? ' (CI runs every test: nothing may be skipped)' : ''),
    ok,
  };
}

export function readSummary(path: string, startedAtMs: number): Summary {
  if (!existsSync(path))
    return { line: `test summary: no results file ${path}: the test run did not finish`, ok: false };
  return summarize(JSON.parse(readFileSync(path, 'utf8')) as VitestResults, startedAtMs);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [path = '.vitest-results.json', started] = process.argv.slice(2);
  const startedAtMs = Number(started);
  if (!Number.isFinite(startedAtMs)) {
    process.stderr.write('usage: tsx scripts/test-summary.ts <results.json> <epoch ms the run started>\n');
    process.exit(2);
  }
  const { line, ok } = readSummary(path, startedAtMs);
  process.stdout.write(`${line}\n`);
  process.exit(ok ? 0 : 1);
}
