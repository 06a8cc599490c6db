/**
 * Configuration is parsed and validated once, here, from the environment and the command's flags
 * (a flag wins over its variable), by the declarations in variables.ts. Every problem becomes a
 * one-line ConfigError naming the variable or flag; values are never echoed, and secrets are
 * registered for redaction the moment they are read.
 */
import { registerSecret } from '../log.ts';
import { ConfigError } from './config-error.ts';
import { InvalidValue } from './kinds.ts';
import { resolveQueueBackend } from './queue-backend.ts';
import { readSecretFile } from './secret-file.ts';
import {
  apiOrigin,
  type CommandName,
  type Config,
  VARIABLES,
  type Variable,
  type VariableName,
} from './variables.ts';

export { type Config, DEFAULT_BASE_URL, isLoopbackHost, type QueueBackendName } from './variables.ts';

type Env = Record<string, string | undefined>;

export interface LoadConfigOptions {
  /** Fail when no API key is configured (commands that call Puffle). */
  requireKey?: boolean;
  /**
   * The command being run: secrets are read only by the commands that use them (a dashboard does
   * not read the API key file). Undefined = read everything (tests, programmatic use).
   */
  command?: CommandName;
  /** Flag values by variable name; they win over the environment and errors name the flag. */
  flags?: Partial<Record<VariableName, string>>;
  /** Flag values for secret files, by variable name (`--key-file`). */
  fileFlags?: Partial<Record<VariableName, string>>;
}

export function loadConfig(env: Env = process.env, opts: LoadConfigOptions = {}): Config {
  const config: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(VARIABLES) as [VariableName, Variable<unknown>][]) {
    const readable = !variable.secret || !opts.command || variable.commands.includes(opts.command);
    config[name] = readable
      ? readVariable(variable, env, opts.flags?.[name], opts.fileFlags?.[name])
      : undefined;
  }
  const parsed = config as Config;
  // Commands that never touch the queue (sql, migrate, …) ignore the queue settings.
  const usesQueue = !opts.command || VARIABLES.queueBackend.commands.includes(opts.command as never);
  parsed.queueBackend = usesQueue ? resolveQueueBackend(parsed) : undefined;
  if (opts.requireKey && parsed.apiKey === undefined)
    throw new ConfigError(
      'PUFFLE_API_KEY is not set: export your pk_live_… key, or point PUFFLE_API_KEY_FILE at a file holding it',
    );
  return parsed;
}

function readVariable(
  variable: Variable<unknown>,
  env: Env,
  flagValue: string | undefined,
  fileFlagValue: string | undefined,
): unknown {
  const flagName = variable.flag?.split(' ')[0];
  const fileEnv = `${variable.env}_FILE`;
  const fileFlagName = variable.secret?.fileFlag?.split(' ')[0];
  if (variable.secret) {
    registerSecret(flagValue);
    registerSecret(env[variable.env]);
  }
  const direct =
    flagValue !== undefined
      ? { name: flagName!, raw: flagValue.trim(), blankIsError: true }
      : { name: variable.env, raw: env[variable.env]?.trim() ?? '', blankIsError: false };
  const fileSetting = variable.secret
    ? fileFlagValue !== undefined
      ? { name: fileFlagName!, path: fileFlagValue.trim() }
      : env[fileEnv]?.trim()
        ? { name: fileEnv, path: env[fileEnv]!.trim() }
        : undefined
    : undefined;

  if (fileSetting) {
    if (direct.raw !== '') throw new ConfigError(`set ${direct.name} or ${fileSetting.name}, not both`);
    const content = readSecretFile(fileSetting.name, fileSetting.path);
    registerSecret(content);
    return parseAs(variable, `the content of ${fileSetting.name}`, content);
  }
  if (direct.raw === '') {
    if (direct.blankIsError) throw new ConfigError(`${direct.name} must not be empty`);
    return variable.default;
  }
  return parseAs(variable, direct.name, direct.raw);
}

function parseAs(variable: Variable<unknown>, name: string, raw: string): unknown {
  try {
    const value = variable.kind.parse(raw);
    // A secret holding several values (a list) is redacted value by value, not only as a whole.
    if (variable.secret) registerItems(value);
    return value;
  } catch (err) {
    if (err instanceof InvalidValue) throw new ConfigError(`${name} ${err.message}`);
    throw err;
  }
}

/**
 * Registers every secret the process was handed — variables, `_FILE` contents, flag values in
 * `argv` — before anything is parsed, so even commander's own messages about a mistyped flag
 * (`--kye=…`) cannot repeat one. Unreadable files are left for loadConfig to report.
 */
export function registerSecretsFrom(env: Env, argv: readonly string[]): void {
  for (const variable of Object.values(VARIABLES) as Variable<unknown>[]) {
    if (!variable.secret) continue;
    const register = (value: string | undefined) => registerSecretValues(variable, value);
    register(env[variable.env]);
    const files = [env[`${variable.env}_FILE`]];
    for (const value of flagValues(argv, variable.flag)) register(value);
    files.push(...flagValues(argv, variable.secret.fileFlag));
    for (const file of files) {
      try {
        if (file?.trim()) register(readSecretFile(`${variable.env}_FILE`, file.trim()));
      } catch {
        // Reported by loadConfig, for the commands that read it.
      }
    }
  }
}

/** `value` as a whole and, when it parses into several (webhook secrets), each of them. */
function registerSecretValues(variable: Variable<unknown>, value: string | undefined): void {
  registerSecret(value);
  if (!value?.trim()) return;
  try {
    registerItems(variable.kind.parse(value.trim()));
  } catch {
    // Not valid: loadConfig reports it, without the value.
  }
}

function registerItems(value: unknown): void {
  for (const item of [value].flat()) if (typeof item === 'string') registerSecret(item);
}

/** The values given to `spec`'s flag in `argv` (`--key v` and `--key=v`). */
function flagValues(argv: readonly string[], spec: string | undefined): string[] {
  const flag = spec?.split(' ')[0];
  if (!flag) return [];
  return argv.flatMap((arg, i) => {
    if (arg === flag) return argv[i + 1] === undefined ? [] : [argv[i + 1]!];
    return arg.startsWith(`${flag}=`) ? [arg.slice(flag.length + 1)] : [];
  });
}

/** Throws a ConfigError naming PUFFLE_API_KEY when `key` is not shaped like a Puffle key. */
export function validateApiKey(key: string): void {
  parseAs(VARIABLES.apiKey as Variable<unknown>, 'PUFFLE_API_KEY', key);
}

/** The API origin of `value` (PUFFLE_API_BASE_URL), or a ConfigError naming the variable. */
export function validateBaseUrl(value: string): string {
  try {
    return apiOrigin(value);
  } catch (err) {
    if (err instanceof InvalidValue) throw new ConfigError(`PUFFLE_API_BASE_URL ${err.message}`);
    throw err;
  }
}
