/** Every CLI command, in `--help` order. Each module exports `register(program)`. */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
