/**
 * `npm run mutants [-- --only id,id] [--parallel N] [--keep]`: the mutation check. Each mutation in
 * ./list.ts is applied to its own scratch copy of the repository (tracked and new files, with
 * node_modules linked), and the test files it names run there. A mutation is *caught* when they
 * fail, *survived* when they pass — a guarantee that can break with no test noticing. The
 * unmutated copy runs the same files first: if that baseline fails, nothing is concluded.
 *
 * Why a hand-written list rather than Stryker: Stryker 9 runs on Node 20, but it mutates every
 * operator of every file and reruns tests per mutant; this suite's guarantees live in integration
 * tests against real Postgres, Redis and child processes (seconds each), which puts a full Stryker
 * run in hours. A short list aimed at the code that carries a guarantee runs in minutes.
 *
 * Exit 0 only when every mutation was caught; stale (no longer applies) and invalid (no longer
 * parses) mutations fail the run too.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { MUTANTS, type Mutant } from './list.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Verdict = 'caught' | 'survived' | 'stale' | 'invalid';

interface Result {
  mutant: Mutant;
  verdict: Verdict;
  seconds: number;
  /** The failing tests (caught) or why the mutation could not be judged. */
  detail: string;
}

/** Applies the edits to `text`; throws when an edit does not match exactly once (stale). */
export function applyEdits(text: string, mutant: Mutant): string {
  let out = text;
  for (const { find, replace } of mutant.edits) {
    const at = out.indexOf(find);
    if (at < 0 || out.indexOf(find, at + 1) >= 0)
      throw new Error(
        `${at < 0 ? 'not found' : 'found more than once'}: ${JSON.stringify(find.slice(0, 80))}`,
      );
    out = out.slice(0, at) + replace + out.slice(at + find.length);
  }
  return out;
}

/** Syntax errors of a TypeScript source (types are not checked: vitest strips them). */
export function syntaxErrors(path: string, text: string): string[] {
  const out = ts.transpileModule(text, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, CI: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The repository's files as git sees them (tracked and untracked, ignored ones left out). */
async function repoFiles(): Promise<string[]> {
  const { code, output } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard'], ROOT);
  if (code !== 0) throw new Error(`git ls-files failed: ${output}`);
  return output.split('\n').filter((f) => f && existsSync(join(ROOT, f)));
}

function copyRepo(files: string[], to: string): void {
  for (const f of files) {
    mkdirSync(dirname(join(to, f)), { recursive: true });
    cpSync(join(ROOT, f), join(to, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'));
}

/** Runs test files in `dir`; the failing test names come from vitest's JSON report. */
async function vitest(
  dir: string,
  tests: string[],
): Promise<{ passed: boolean; failed: string[]; output: string }> {
  const report = join(dir, '.mutant-results.json');
  rmSync(report, { force: true });
  const { code, output } = await run(
    join(dir, 'node_modules', '.bin', 'vitest'),
    ['run', ...tests, '--reporter=json', `--outputFile=${report}`],
    dir,
  );
  let failed: string[] = [];
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      testResults: { assertionResults: { status: string; fullName: string }[] }[];
    };
    failed = json.testResults.flatMap((f) =>
      f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
    );
  }
  return { passed: code === 0, failed, output };
}

async function judge(mutant: Mutant, files: string[], scratch: string): Promise<Result> {
  const started = Date.now();
  const done = (verdict: Verdict, detail: string): Result => ({
    mutant,
    verdict,
    detail,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  const dir = join(scratch, mutant.id);
  copyRepo(files, dir);
  const path = join(dir, mutant.file);
  let mutated: string;
  try {
    mutated = applyEdits(readFileSync(path, 'utf8'), mutant);
  } catch (err) {
    return done('stale', `${mutant.file}: ${(err as Error).message}`);
  }
  const errors = syntaxErrors(mutant.file, mutated);
  if (errors.length > 0) return done('invalid', errors[0]!);
  writeFileSync(path, mutated);
  const res = await vitest(dir, mutant.tests);
  if (res.passed) return done('survived', `${mutant.tests.join(', ')} passed`);
  const detail =
    res.failed.length > 0
      ? `${res.failed.length} failed, e.g. "${res.failed[0]}"`
      : `tests failed to run: ${res.output.trim().split('\n').slice(-3).join(' ')}`;
  return done('caught', detail);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      parallel: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
    },
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = (only ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length > 0) {
    process.stderr.write(`mutants: unknown mutation ${unknown.join(', ')}\n`);
    return 2;
  }
  const selected = MUTANTS.filter((m) => !only || only.includes(m.id));
  const started = Date.now();
  const files = await repoFiles();
  const scratch = mkdtempSync(join(tmpdir(), 'puffle-mutants-'));
  try {
    const tests = [...new Set(selected.flatMap((m) => m.tests))];
    process.stderr.write(`mutants: baseline (no mutation): ${tests.join(' ')}\n`);
    const baseDir = join(scratch, 'baseline');
    copyRepo(files, baseDir);
    const base = await vitest(baseDir, tests);
    if (!base.passed) {
      process.stderr.write(`mutants: the unmutated tests fail; fix them first:\n${base.failed.join('\n')}\n`);
      return 1;
    }
    const results: Result[] = [];
    let next = 0;
    const lane = async () => {
      while (next < selected.length) {
        const mutant = selected[next++]!;
        const r = await judge(mutant, files, scratch);
        results.push(r);
        process.stderr.write(`mutants: ${mutant.id}: ${r.verdict} in ${r.seconds} s — ${r.detail}\n`);
        if (!values.keep) rmSync(join(scratch, mutant.id), { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Number(values.parallel) || 1) }, lane));
    results.sort((a, b) => selected.indexOf(a.mutant) - selected.indexOf(b.mutant));
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
    const lines = [
      '| mutation | breaks | caught by | result |',
      '|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.mutant.id} | ${r.mutant.breaks} | ${r.mutant.tests.map((t) => t.replace(/^test\//, '')).join(', ')} | ${r.verdict} |`,
      ),
      '',
      `${results.length} mutations: ${count('caught')} caught, ${count('survived')} survived` +
        `${count('stale') + count('invalid') > 0 ? `, ${count('stale')} stale, ${count('invalid')} invalid` : ''}` +
        ` — ${minutes} min`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return results.every((r) => r.verdict === 'caught') ? 0 : 1;
  } finally {
    if (values.keep) process.stderr.write(`mutants: scratch copies kept in ${scratch}\n`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

process.exit(await main());
