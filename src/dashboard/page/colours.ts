/** One palette for the table, the charts and their legends. */
import type { StreamHealth } from '../../jobs/status/index.ts';

export const HEALTH_COLOUR: Record<StreamHealth, string> = {
  fresh: '#2e9e5b',
  running: '#2f6fd6',
  stale: '#d99a1e',
  failed: '#d64541',
  never: '#9aa3ad',
};

export const RUN_COLOUR: Record<string, string> = {
  succeeded: '#2e9e5b',
  running: '#2f6fd6',
  partial: '#d99a1e',
  failed: '#d64541',
};

export const RECORD_COLOUR = { read: '#6b8fd6', written: '#2e9e5b', deleted: '#d64541' } as const;

/** By HTTP status class; 429 stands apart from the other 4xx. */
export function statusColour(status: string): string {
  if (status === '429') return '#e8a317';
  if (/^2\d\d$/.test(status)) return '#2e9e5b';
  if (/^3\d\d$/.test(status)) return '#7aa6c2';
  if (/^4\d\d$/.test(status)) return '#c0642f';
  if (/^5\d\d$/.test(status)) return '#d64541';
  return '#9aa3ad'; // network, timeout, unknown
}
