import { RUN_ROW } from './run-row.ts';

/**
 * The `freshness` view's facts of sync_runs per stream (analytics/views.ts builds the view, its
 * dbt model and docs from it): newest success, newest run's status and error class. `relation`
 * is the table as the view's text names it (schema-qualified, or a dbt `source()`).
 */
export function streamRunFactsSql(relation: string): string[] {
  return [
    '  select stream,',
    "    max(finished_at) filter (where status = 'succeeded') as last_success_at,",
    '    (array_agg(status order by started_at desc))[1] as last_run_status,',
    '    (array_agg(error_class order by started_at desc))[1] as last_run_error',
    `  from ${relation}`,
    `  where stream <> '${RUN_ROW}'`,
    '  group by stream',
  ];
}
