/** `puffle_sync_build_info`: which version and Node runtime a process runs, as labels of a constant 1. */
import { Gauge, type Registry } from 'prom-client';
import { VERSION } from './extract/version.ts';

export type ProcessRole = 'dashboard' | 'worker';

export function registerBuildInfo(registry: Registry, role: ProcessRole): void {
  const info = new Gauge({
    name: 'puffle_sync_build_info',
    help: 'Always 1; the labels say which puffle-sync version, Node.js version and role this process runs.',
    labelNames: ['version', 'node', 'role'],
    registers: [registry],
  });
  info.set({ version: VERSION, node: process.versions.node, role }, 1);
}
