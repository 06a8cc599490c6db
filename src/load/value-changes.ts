/**
 * The `_changes` lineage column: what the sync changed in a row on its way in, in the spirit of
 * Airbyte's `_airbyte_meta.changes`. One entry per typed value dropped (the column is NULL: Postgres
 * would have refused the value) and per string of `raw` repaired (unstorable characters replaced
 * by U+FFFD). A row with nothing changed has `[]`. The record is the one privacy controls already
 * rewrote, so an excluded value is absent and a hashed one is only its hash: neither reaches here.
 */
import { escapeUnstorable, jsonHasUnstorable, repairJson } from './unstorable-text.ts';

export interface ValueChange {
  /** A column name, or `raw.<path>` for a repair of the stored record. */
  field: string;
  /** Why, never quoting the value (reasons are logged). */
  reason: string;
  /** The value as sent, as text (JSON for objects, arrays and numbers); unstorable characters as `\uXXXX`. */
  original: string | null;
}

/** Longest `original` kept; a longer one ends in ORIGINAL_CUT (the whole record stays in `raw`). */
export const ORIGINAL_MAX = 1000;
export const ORIGINAL_CUT = '…(truncated)';

export function droppedValue(field: string, reason: string, value: unknown): ValueChange {
  return { field, reason, original: originalText(value) };
}

/** The record as jsonb text with its unstorable characters repaired, and a change for each repair. */
export function storableRaw(record: Record<string, unknown>): { raw: string; repairs: ValueChange[] } {
  const json = JSON.stringify(record);
  if (!jsonHasUnstorable(json)) return { raw: json, repairs: [] };
  const repaired = repairJson(record);
  return {
    raw: JSON.stringify(repaired.value),
    repairs: repaired.repairs.map((r) => ({
      field: `raw.${r.path}`,
      reason: `${r.reason}: replaced by U+FFFD`,
      original: cut(r.original),
    })),
  };
}

function originalText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  // JSON.stringify escapes NUL and lone surrogates, so only plain strings need escaping here.
  return cut(typeof value === 'string' ? escapeUnstorable(value) : JSON.stringify(value));
}

function cut(text: string): string {
  if (text.length <= ORIGINAL_MAX) return text;
  // A cut through a surrogate pair leaves half of it: escape that half too.
  return escapeUnstorable(text.slice(0, ORIGINAL_MAX)) + ORIGINAL_CUT;
}
