import { ConfigError } from '../../config/config-error.ts';

/**
 * Another live process holds the embedded PGlite data directory. PGlite is single-process: a
 * second opener would corrupt it, so we refuse. A ConfigError (exit 2): the fix is to stop the
 * other process, point PUFFLE_SYNC_DATA_DIR elsewhere, or use DATABASE_URL.
 */
export class DatabaseLockedError extends ConfigError {
  static override readonly code = 'database_locked';
  override readonly code = DatabaseLockedError.code;
  readonly pid: number | undefined;
  constructor(message: string, pid: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
    this.pid = pid;
  }
}
