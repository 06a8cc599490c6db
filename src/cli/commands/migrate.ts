/** `puffle-sync migrate` — create or upgrade the warehouse tables (every sync also does this at start-up). */
import type { Command } from 'commander';
import { migrateWarehouse } from '../../analytics/migration.ts';
import { analyticsSchema } from '../../analytics/views.ts';
import { openConfiguredDatabase } from '../../jobs/runtime.ts';
import { createLogger } from '../../log.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { printJson, printOut } from '../output.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('migrate')
      .description(
        'Create or upgrade the warehouse tables, the analytics views and their comments in DATABASE_URL (or the embedded database)',
      )
      .option('--json', 'print {schema, applied, skipped} as JSON on stdout'),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    const logger = createLogger({ level: config.logLevel ?? 'warn' });
    const database = await openConfiguredDatabase(config, logger);
    try {
      const result = await migrateWarehouse(database);
      if (opts.json) {
        printJson({ schema: config.schema, analytics: analyticsSchema(config.schema), ...result });
      } else {
        const where = config.databaseUrl ? 'Postgres' : `the embedded database in ${config.dataDir}`;
        const what =
          result.applied.length > 0 ? `applied ${result.applied.join(', ')}` : 'already up to date';
        const views =
          result.generated.length > 0
            ? `; views and comments in "${analyticsSchema(config.schema)}" updated`
            : '';
        printOut(`schema "${config.schema}" in ${where}: ${what}${views}`);
      }
    } finally {
      await database.close();
    }
  });
}
