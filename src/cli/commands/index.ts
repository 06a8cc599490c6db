/** Every CLI command, in `--help` order. Each module exports `register(program)`. */
import type { Command } from 'commander';
import { register as backfill } from './backfill.ts';
import { register as dashboard } from './dashboard.ts';
import { register as demo } from './demo.ts';
import { register as migrate } from './migrate.ts';
import { register as schedule } from './schedule.ts';
import { register as simulate } from './simulate.ts';
import { register as sql } from './sql.ts';
import { register as status } from './status.ts';
import { register as sync } from './sync.ts';
import { register as webhooks } from './webhooks.ts';
import { register as worker } from './worker.ts';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  sync,
  demo,
  migrate,
  simulate,
  worker,
  schedule,
  backfill,
  status,
  dashboard,
  webhooks,
  sql,
];
