/**
 * The `puffle-sync` command line. Each command lives in ./commands/<name>.ts and exports
 * `register(program)`; this file only wires them and maps errors to exit codes:
 * 0 success, 1 other failure, 2 configuration error, 3 API key rejected by Puffle.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.ts';
import { errorSummary } from '../error-summary.ts';
import { redactSecrets } from '../log.ts';
import { commands } from './commands/index.ts';
import { EXIT } from './exit-codes.ts';

export function buildProgram(): Command {
  const program = new Command('puffle-sync')
    .description('Copy a whole Puffle account into your own Postgres.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return exitCodeFor(err);
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
  const { name, message } = errorSummary(err);
  process.stderr.write(`puffle-sync: ${name}: ${redactSecrets(message)}\n`);
  if (name === 'AuthRejectedError') return EXIT.authRejected;
  return EXIT.failure;
}
