/**
 * The one way a stored time leaves the warehouse as text: ISO 8601 UTC with microseconds
 * (`2026-11-30T07:41:05.123456Z`), formatted by Postgres so node-postgres and PGlite agree. The
 * microseconds are kept because a cursor read back this way (a high-water mark, `since`) must not
 * fall before the row it came from; JavaScript's Date parses the text (to the millisecond).
 */
import { type SQL, sql } from 'drizzle-orm';

export function iso(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
