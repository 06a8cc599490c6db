/**
 * Command-specific flags with bounds: one declaration each (`boundedOption`), parsed by the same
 * kinds as the environment (src/config/kinds.ts). A bad value is a one-line ConfigError naming
 * the flag (exit 2), raised while commander parses the command line, before anything starts.
 */
import { Option } from 'commander';
import { ConfigError } from '../config/config-error.ts';
import { InvalidValue, type Kind } from '../config/kinds.ts';

export function parseFlag<T>(flag: string, kind: Kind<T>, raw: string): T {
  try {
    if (raw.trim() === '') throw new InvalidValue('must not be empty');
    return kind.parse(raw.trim());
  } catch (err) {
    if (err instanceof InvalidValue) throw new ConfigError(`${flag} ${err.message}`);
    throw err;
  }
}

/**
 * `--concurrency <n>` taking `kind`, with a parsed default. The help line ends with the bounds,
 * so `--help` says what is accepted.
 */
export function boundedOption<T>(flags: string, help: string, kind: Kind<T>, defaultValue?: T): Option {
  const option = new Option(flags, `${help}; ${kind.expect}`);
  const name = option.long ?? flags;
  option.argParser((raw: string) => parseFlag(name, kind, raw));
  if (defaultValue !== undefined) option.default(defaultValue);
  return option;
}
