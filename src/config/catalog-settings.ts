/**
 * The config keys catalog entries name (`configuredIds.setting`), resolved at the edge: the
 * catalog stays free of config, and the runners / docs ask here.
 */
import type { StreamDef } from '../extract/streams.ts';
import { VARIABLES } from './variables.ts';

function variableOf(setting: string): { env: string } {
  const variable = (VARIABLES as Record<string, { env: string } | undefined>)[setting];
  if (!variable) throw new Error(`no config variable "${setting}" (src/config/variables.ts)`);
  return variable;
}

/** The environment variable behind a setting, for messages and docs (`PUFFLE_ENRICHMENT_RUN_IDS`). */
export function envOfSetting(setting: string): string {
  return variableOf(setting).env;
}

/**
 * The configured partition ids of a `configuredIds` stream, read from `settings` (the config, or
 * runner options carrying the same key); undefined for every other stream.
 */
export function configuredIdsOf(def: StreamDef, settings: object): readonly string[] | undefined {
  if (!def.configuredIds) return undefined;
  variableOf(def.configuredIds.setting);
  const value: unknown = (settings as Record<string, unknown>)[def.configuredIds.setting];
  return Array.isArray(value) ? (value as string[]) : undefined;
}
