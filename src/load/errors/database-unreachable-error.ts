import { ConfigError } from '../../config/config-error.ts';

/**
 * The database could not be reached or refused us (bad host, port, credentials, database name).
 * A ConfigError so the CLI prints one line and exits 2: the fix is in DATABASE_URL.
 */
export class DatabaseUnreachableError extends ConfigError {
  static override readonly code = 'database_unreachable';
  override readonly code = DatabaseUnreachableError.code;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
