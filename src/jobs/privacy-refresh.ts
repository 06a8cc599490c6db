/**
 * A full refresh also brings the rows Puffle no longer returns in line with the personal-data
 * settings (load/privacy-reapply.ts), before the stream's walks start. Both runners call this.
 */
import type { StreamDef } from '../extract/streams.ts';
import { type Database, reapplyPrivacy } from '../load/index.ts';
import type { Logger } from '../log.ts';

export async function reapplyPrivacyForFullRefresh(
  db: Database,
  def: StreamDef,
  runId: string,
  logger: Logger,
): Promise<void> {
  const rows = await reapplyPrivacy(db, def, runId);
  if (rows > 0)
    logger.info(
      { stream: def.name, rows },
      'stored rows rewritten under PUFFLE_EXCLUDE_COLUMNS / PUFFLE_HASH_COLUMNS',
    );
}
