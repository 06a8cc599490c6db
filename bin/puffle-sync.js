#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx puffle-sync` works right after
// `npm ci` on a fresh clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { boundHeapGrowth } = await import('../src/heap-growth.ts');
boundHeapGrowth();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
