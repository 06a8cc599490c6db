/** The environment variable of a config key a catalog entry names (`configuredIds.setting`). */
import { VARIABLES } from './variables.ts';

export function envOfSetting(setting: string): string {
  const variable = (VARIABLES as Record<string, { env: string } | undefined>)[setting];
  if (!variable) throw new Error(`no config variable "${setting}" (src/config/variables.ts)`);
  return variable.env;
}
