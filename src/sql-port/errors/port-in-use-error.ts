import { ConfigError } from '../../config/config-error.ts';

/** The SQL port could not listen: something else (another Postgres, another `sql`) has it. Exit 2. */
export class PortInUseError extends ConfigError {
  static override readonly code = 'port_in_use';
  override readonly code = PortInUseError.code;

  constructor(
    readonly host: string,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(
      `port ${port} on ${host} is already in use (another Postgres, or another puffle-sync sql?): choose a free one with --port`,
      options,
    );
    this.name = this.constructor.name;
  }
}
