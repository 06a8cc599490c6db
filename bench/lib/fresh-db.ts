import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { createTestDatabase } from '../../test/helpers/services.ts';

/** A new, migrated Postgres database; `drop()` closes and removes it. */
export async function freshDatabase(
  label: string,
): Promise<{ url: string; db: Database; drop: () => Promise<void> }> {
  const t = await createTestDatabase(label);
  const db = await openDatabase({ databaseUrl: t.url, dataDir: '', schema: 'puffle' });
  await migrate(db);
  return {
    url: t.url,
    db,
    drop: async () => {
      await db.close();
      await t.drop();
    },
  };
}
