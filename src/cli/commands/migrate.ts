/** `puffle-sync migrate` — create or upgrade the warehouse tables (every sync also does this at start-up). */
import type { Command } from 'commander';
import { openConfiguredDatabase } from '../../jobs/runtime.ts';
import { migrate } from '../../load/index.ts';
import { createLogger } from '../../log.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { printJson, printOut } from '../output.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('migrate')
      .description('Create or upgrade the warehouse tables in DATABASE_URL (or the embedded database)')
      .option('--json', 'print {schema, applied, skipped} as JSON on stdout'),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    const logger = createLogger({ level: 'warn' });
    const database = await openConfiguredDatabase(config, logger);
    try {
      const result = await migrate(database);
      if (opts.json) {
        printJson({ schema: config.schema, ...result });
      } else {
        const where = config.databaseUrl ? 'Postgres' : `the embedded database in ${config.dataDir}`;
        const what =
          result.applied.length > 0 ? `applied ${result.applied.join(', ')}` : 'already up to date';
        printOut(`schema "${config.schema}" in ${where}: ${what}`);
      }
    } finally {
      await database.close();
    }
  });
}
