/**
 * The configuration flags of a command: exactly the variables of src/config/variables.ts that
 * declare this command (a dashboard has no --key, a migrate no --redis-url). Each flag maps onto
 * its variable and is validated by the same declaration; a flag wins over the environment.
 */
import { type Command, Option } from 'commander';
import { type Config, type LoadConfigOptions, loadConfig } from '../config/config.ts';
import { type CommandName, VARIABLES, type Variable, type VariableName } from '../config/variables.ts';

interface FlagOf {
  variable: VariableName;
  option: Option;
  /** The `--key-file` form of a secret. */
  file: boolean;
}

/** The config flags `command` takes, in declaration order. */
export function configFlagsOf(command: CommandName): FlagOf[] {
  const flags: FlagOf[] = [];
  for (const [name, v] of Object.entries(VARIABLES) as [VariableName, Variable<unknown>][]) {
    if (!v.commands.includes(command)) continue;
    const fallback = v.defaultText ?? (v.default === undefined ? undefined : String(v.default));
    const suffix = `[${v.env}${fallback ? `, default ${fallback}` : ''}]`;
    if (v.flag)
      flags.push({ variable: name, option: new Option(v.flag, `${v.help} ${suffix}`), file: false });
    if (v.secret?.fileFlag)
      flags.push({
        variable: name,
        option: new Option(v.secret.fileFlag, `file holding the value of ${v.env} [${v.env}_FILE]`),
        file: true,
      });
  }
  return flags;
}

export function withConfigOptions(cmd: Command): Command {
  for (const { option } of configFlagsOf(cmd.name() as CommandName)) cmd.addOption(option);
  return cmd;
}

/** The configuration of `cmd` from the environment and its flags. */
export function configOf(cmd: Command, extra: Pick<LoadConfigOptions, 'requireKey'> = {}): Config {
  const command = cmd.name() as CommandName;
  const opts = cmd.opts();
  const flags: Partial<Record<VariableName, string>> = {};
  const fileFlags: Partial<Record<VariableName, string>> = {};
  for (const { variable, option, file } of configFlagsOf(command)) {
    const value = opts[option.attributeName()];
    if (typeof value === 'string') (file ? fileFlags : flags)[variable] = value;
    else if (value === true) flags[variable] = 'true'; // a flag without a value: `--accept-mass-deletes`
  }
  return loadConfig(process.env, { ...extra, command, flags, fileFlags });
}
