/**
 * The `puffle-sync` command line. Each command lives in ./commands/<name>.ts and exports
 * `register(program)`; this file only wires them and maps errors to exit codes:
 * 0 success, 1 other failure, 2 configuration error, 3 API key rejected by Puffle.
 *
 * Everything written to stderr passes `redactSecrets`, commander's own messages included; the
 * secrets handed to the process are registered before argv is parsed, and commander's echo of an
 * unknown option's value (`--kye=pk_live_…`) is dropped altogether.
 */
import { Command, CommanderError } from 'commander';
import { registerSecretsFrom } from '../config/config.ts';
import { ConfigError } from '../config/config-error.ts';
import { errorSummary } from '../error-summary.ts';
import { AuthRejectedError } from '../extract/errors/auth-rejected-error.ts';
import { VERSION } from '../extract/version.ts';
import { redactSecrets } from '../log.ts';
import { tracingRequested } from '../tracing-env.ts';
import { commands } from './commands/index.ts';
import { EXIT } from './exit-codes.ts';

export function buildProgram(): Command {
  const program = new Command('puffle-sync')
    .description('Copy a whole Puffle account into your own Postgres.')
    .version(VERSION, '-V, --version', 'print the puffle-sync version')
    .configureOutput({
      writeErr: (text) => process.stderr.write(redactSecrets(text)),
      outputError: (text, write) => write(`puffle-sync: ${commanderMessage(text)}\n`),
    })
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** One line: commander's message without its `error: ` and without any option value it repeats. */
export function commanderMessage(text: string): string {
  return `${text
    .trim()
    .replace(/^error: /, '')
    .replace(/'(-[-\w]*)=[^']*'/g, "'$1=…'")
    .replace(/\s*\n\s*/g, ' ')} (see --help)`;
}

export async function main(argv: string[]): Promise<number> {
  registerSecretsFrom(process.env, argv);
  // The SDK is loaded only when an OTLP endpoint is configured (tracing-sdk.ts).
  const tracing = tracingRequested(process.env)
    ? (await import('../tracing-sdk.ts')).startTracingFromEnv(process.env)
    : undefined;
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return exitCodeFor(err);
  } finally {
    await tracing?.shutdown().catch(() => {});
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    return err.exitCode === 0 ? EXIT.ok : EXIT.config;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`puffle-sync: ${redactSecrets(err.message)}\n`);
    return EXIT.config;
  }
  const { code, name, message } = errorSummary(err);
  process.stderr.write(`puffle-sync: ${name}: ${redactSecrets(message)}\n`);
  if (code === AuthRejectedError.code) return EXIT.authRejected;
  return EXIT.failure;
}
