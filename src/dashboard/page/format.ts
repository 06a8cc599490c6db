/** How the page writes numbers and times. */
import { formatAge } from '../../jobs/status/index.ts';

export const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** `2026-11-30T07:41:05.123Z` → `2026-11-30 07:41 UTC`. */
export function when(isoText: string | null | undefined): string {
  if (!isoText) return 'never';
  return `${isoText.slice(0, 10)} ${isoText.slice(11, 16)} UTC`;
}

export function seconds(s: number): string {
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  return formatAge(s);
}

export { formatAge };

/** SVG coordinates with one decimal: smaller markup, same picture. */
export const fx = (n: number) => Math.round(n * 10) / 10;
