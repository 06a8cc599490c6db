/**
 * The mutations `npm run mutants` applies, one at a time: each is a small, realistic slip in code
 * that carries a guarantee (docs/testing.md), and names the test files that must catch it. An edit's
 * `find` must occur exactly once in its file, so a mutation never silently stops applying when the
 * code moves: the run reports it as stale, to be updated here.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: edits hold source text with ${…} in it

export interface Edit {
  find: string;
  replace: string;
}

export interface Mutant {
  id: string;
  /** The guarantee the mutation breaks, in one line. */
  breaks: string;
  file: string;
  edits: Edit[];
  /** Test files (paths from the repository root) that must fail with the mutation applied. */
  tests: string[];
}

const ATOMICITY = 'test/load/commit-atomicity.test.ts';
const COMMIT_PAGE = 'test/load/commit-page.test.ts';
const LOST_REPLY = 'test/jobs/lost-commit-reply.test.ts';
const REVOCATION = 'test/jobs/inline-revocation.test.ts';
const REFUSED_ROWS = 'test/load/refused-rows.test.ts';
const CHANGES_PRIVACY = 'test/load/value-changes-privacy.test.ts';

/** Makes commit-page's writePage async, so a statement can be moved before its transaction. */
const ASYNC_WRITE_PAGE: Edit = { find: '\nfunction writePage(', replace: '\nasync function writePage(' };
const TX_START = '  const { tables } = database;\n  return database.db.transaction(async (tx) => {\n';

export const MUTANTS: Mutant[] = [
  {
    id: 'mass-delete-threshold-flipped',
    breaks: 'the mass-delete guard holds small sweeps and applies mass deletions (share comparison flipped)',
    file: 'src/load/mass-delete-guard.ts',
    edits: [
      {
        find: 'count * 100 > guard.percent * live',
        replace: 'count * 100 < guard.percent * live',
      },
    ],
    tests: ['test/load/mass-delete-guard.test.ts', 'test/jobs/mass-delete-inline.test.ts'],
  },
  {
    id: 'checkpoint-outside-tx',
    breaks: 'the checkpoint is written before, and outside, the transaction of its rows',
    file: 'src/load/commit-page.ts',
    edits: [
      ASYNC_WRITE_PAGE,
      {
        find: TX_START,
        replace: `  const { tables } = database;\n  await writeState(database.db, tables, page, complete);\n  return database.db.transaction(async (tx) => {\n`,
      },
      { find: '    await writeState(tx, tables, page, complete);\n', replace: '' },
    ],
    tests: [ATOMICITY],
  },
  {
    id: 'rejected-outside-tx',
    breaks: 'rejected records are written outside the page transaction',
    file: 'src/load/commit-page.ts',
    edits: [
      ASYNC_WRITE_PAGE,
      {
        find: TX_START,
        replace: `  const { tables } = database;\n  await insertRejected(database.db, tables, page, rejected);\n  return database.db.transaction(async (tx) => {\n`,
      },
      { find: '    await insertRejected(tx, tables, page, rejected);\n', replace: '' },
    ],
    tests: [ATOMICITY],
  },
  {
    id: 'counters-after-commit',
    breaks: 'run counters are added after the page transaction committed',
    file: 'src/load/commit-page.ts',
    edits: [
      { find: '    await addRunCounters(tx, tables, page, counts);\n', replace: '' },
      {
        find: ' : counts;\n  });\n}',
        replace:
          ' : counts;\n  }).then(async (result) => {\n    await addRunCounters(database.db, tables, page, result);\n    return result;\n  });\n}',
      },
    ],
    tests: [ATOMICITY],
  },
  {
    id: 'lost-reply-recommitted',
    breaks: 'a page whose COMMIT landed but whose reply was lost is committed again (pageLanded bypassed)',
    file: 'src/jobs/sync-partition.ts',
    edits: [{ find: 'attempt > 1 && (await pageLanded(db, input))', replace: 'false' }],
    tests: [LOST_REPLY],
  },
  {
    id: 'page-always-landed',
    breaks: 'a page whose transaction never ran is taken for landed and skipped',
    file: 'src/load/commit-page.ts',
    edits: [{ find: '  return found.length > 0;', replace: '  return true;' }],
    tests: [LOST_REPLY],
  },
  {
    id: 'connection-loss-not-retried',
    breaks: 'a lost database connection fails the step instead of being retried',
    file: 'src/jobs/database-retry.ts',
    edits: [
      {
        find: 'if (retries === 0 || !isConnectionLost(err) || opts.signal?.aborted) throw err;',
        replace: 'throw err;',
      },
    ],
    tests: [LOST_REPLY],
  },
  {
    id: 'equal-updated-at-skipped',
    breaks: 'a changed body with an equal updated_at is not stored (>= became >)',
    file: 'src/load/upsert.ts',
    edits: [{ find: 'excluded.updated_at >= t.updated_at', replace: 'excluded.updated_at > t.updated_at' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'older-overwrites-newer',
    breaks: 'an older version of a record overwrites a newer stored one',
    file: 'src/load/upsert.ts',
    edits: [{ find: '${newerOnly})', replace: ')' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'deleted-row-not-revived',
    breaks: 'a soft-deleted row that comes back stays deleted',
    file: 'src/load/upsert.ts',
    edits: [{ find: 'do update set ${updates}, _deleted_at = null', replace: 'do update set ${updates}' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'sweep-mid-walk',
    breaks: 'the delete sweep runs on a page that does not complete the walk',
    file: 'src/load/commit-page.ts',
    edits: [{ find: 'detectsDeletes && complete', replace: 'detectsDeletes' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'no-seen-marks',
    breaks: 'the walk does not mark the keys it saw, so its sweep deletes live rows',
    file: 'src/load/commit-page.ts',
    edits: [{ find: 'if (detectsDeletes) await markSeen(', replace: 'if (!detectsDeletes) await markSeen(' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'sweep-across-partitions',
    breaks: "a partition's sweep soft-deletes rows of other partitions",
    file: 'src/load/sweep.ts',
    edits: [
      {
        find: '  const inPartition = partitionFilter(stream, input.partitionValue);\n',
        replace: '  const inPartition = sql``;\n',
      },
    ],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'walk-never-resumed',
    breaks: 'an unfinished walk is restarted, losing its seen-marks (a resumed sweep deletes live rows)',
    file: 'src/load/walks.ts',
    edits: [{ find: 'if (state && !state.complete && !opts.restart) {', replace: 'if (false) {' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'rejected-records-dropped',
    breaks: 'records that cannot be stored are dropped silently instead of kept in rejected_records',
    file: 'src/load/commit-page.ts',
    edits: [{ find: '  if (rejected.length === 0) return;', replace: '  return;' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'bad-value-rejects-row',
    breaks:
      'one value Postgres would refuse sends the whole record to rejected_records instead of being dropped',
    file: 'src/load/row-mapper.ts',
    edits: [
      {
        find: '    else dropped.push(droppedValue(col.name, coerced.reason, value));',
        replace: '    else problems.push(`${col.name}: ${coerced.reason}`);',
      },
    ],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'changes-never-cleared',
    breaks: 'a clean read of a row leaves the dropped values of an older read in its _changes',
    file: 'src/load/upsert.ts',
    edits: [
      {
        find: "'raw', '_synced_at', '_run_id', '_changes'].map(",
        replace: "'raw', '_synced_at', '_run_id'].map(",
      },
    ],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'refused-rows-block-page',
    breaks: 'a row Postgres refuses fails its whole page on every run instead of going to rejected_records',
    file: 'src/load/commit-page.ts',
    edits: [
      {
        find: 'if (!isRowDataError(err)) throw new PageCommitError(',
        replace: 'if (err) throw new PageCommitError(',
      },
    ],
    tests: [REFUSED_ROWS],
  },
  {
    id: 'changes-before-privacy',
    breaks: 'values are mapped before the personal-data controls, so an excluded value reaches _changes',
    file: 'src/load/row-mapper.ts',
    edits: [{ find: ': read(record, col.sources);', replace: ': read(received, col.sources);' }],
    tests: [CHANGES_PRIVACY],
  },
  {
    id: 'high-water-before-complete',
    breaks: 'the incremental high-water mark moves before the walk completed',
    file: 'src/load/commit-page.ts',
    edits: [{ find: 'complete && page.trackHighWater', replace: 'page.trackHighWater' }],
    tests: [COMMIT_PAGE],
  },
  {
    id: 'resume-point-ignored',
    breaks: 'a walk restarts from its first page instead of its checkpoint',
    file: 'src/jobs/sync-partition.ts',
    edits: [{ find: '    resume: walk.resume,\n', replace: '    resume: null,\n' }],
    tests: [REVOCATION],
  },
  {
    id: 'auth-rejection-retried',
    breaks: 'a rejected key (401) is retried like a transient failure',
    file: 'src/extract/client.ts',
    edits: [
      {
        find: "        case 'auth':\n          throw new AuthRejectedError(",
        replace: "        case 'auth':\n          throw new RetryableError(",
      },
    ],
    tests: ['test/extract/client.test.ts', REVOCATION],
  },
  {
    id: 'partitions-start-after-auth-rejected',
    breaks: 'after the key was rejected, queued partitions still start and send requests',
    file: 'src/jobs/plan/unit-policy.ts',
    edits: [
      {
        find: 'if (err instanceof AuthRejectedError) await stop.stop(err);',
        replace: 'if (err instanceof AuthRejectedError) void stop;',
      },
    ],
    tests: [REVOCATION],
  },
  {
    id: 'retry-after-ignored',
    breaks: "a 429's Retry-After is ignored (the exponential backoff is used instead)",
    file: 'src/extract/client.ts',
    edits: [
      { find: 'retryDelayFromHeaders(res.headers, Date.now()) ?? backoffDelay(', replace: 'backoffDelay(' },
    ],
    tests: ['test/extract/client.test.ts'],
  },
  {
    id: 'budget-per-process',
    breaks: 'the Redis request budget is per process, not shared by the workers of a key',
    file: 'src/extract/budget/redis-budget.ts',
    edits: [
      {
        find: "const base = `${opts.prefix ?? 'puffle-sync'}:budget:{${opts.keyId}}`;",
        replace: "const base = `${opts.prefix ?? 'puffle-sync'}:budget:{${opts.keyId}}:${Math.random()}`;",
      },
    ],
    tests: ['test/extract/budget-redis.test.ts'],
  },
];
