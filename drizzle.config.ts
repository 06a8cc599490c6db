/**
 * drizzle-kit reads the default `puffle` instance of src/load/schema.ts (through
 * src/load/schema/drizzle-kit.cjs, which lists its tables as top-level exports) and writes SQL into
 * migrations/ (`npm run db:generate`). The migrator (src/load/migrate.ts) applies those files to
 * any schema name. Never edit migrations/ by hand.
 */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/load/schema/drizzle-kit.cjs',
  out: process.env.DRIZZLE_OUT ?? './migrations',
});
