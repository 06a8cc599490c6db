/**
 * Characters a JavaScript string can hold but Postgres cannot: U+0000 (text and jsonb reject it)
 * and lone UTF-16 surrogates (half of an emoji cut in two). jsonb rejects the `\udXXX` escape
 * JSON.stringify writes for them; a text parameter would be silently turned into U+FFFD by the
 * driver's UTF-8 encoding. Pure.
 */

/** U+0000, a high surrogate not followed by a low one, or a low one not preceded by a high one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what this must find
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSTORABLE_ONE = new RegExp(UNSTORABLE.source);

/** The same characters as JSON.stringify escapes them (lone surrogates are always escaped). */
const UNSTORABLE_IN_JSON = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

export function hasUnstorable(text: string): boolean {
  return UNSTORABLE_ONE.test(text);
}

/** Why the text cannot be stored, for `_changes` and `rejected_records`. */
export function unstorableReason(text: string): string {
  return text.includes('\u0000')
    ? 'contains a NUL character (\\u0000), which Postgres cannot store'
    : 'contains a lone UTF-16 surrogate (half a character), which Postgres cannot store';
}

/** The text with each unstorable character replaced by U+FFFD. */
export function repairText(text: string): string {
  return text.replace(UNSTORABLE, '\ufffd');
}

/** The text with each unstorable character written as its `\uXXXX` escape: lossless and storable. */
export function escapeUnstorable(text: string): string {
  return text.replace(UNSTORABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A cheap test on a record's JSON text: false means no string or key in it needs repair. */
export function jsonHasUnstorable(json: string): boolean {
  return UNSTORABLE_IN_JSON.test(json);
}

export interface JsonRepair {
  /** Dotted path of the repaired string or key (`[i]` for array items). */
  path: string;
  /** The string or key as sent, with unstorable characters escaped. */
  original: string;
  reason: string;
}

/** A copy of `value` whose strings and keys are all storable, and where it was repaired. */
export function repairJson(value: unknown, path = ''): { value: unknown; repairs: JsonRepair[] } {
  const repairs: JsonRepair[] = [];
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') {
      if (!hasUnstorable(v)) return v;
      repairs.push({ path: at, original: escapeUnstorable(v), reason: unstorableReason(v) });
      return repairText(v);
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${at}[${i}]`));
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      let name = key;
      if (hasUnstorable(key)) {
        name = repairText(key);
        repairs.push({
          path: `${at}${at ? '.' : ''}${name}`,
          original: escapeUnstorable(key),
          reason: `key ${unstorableReason(key)}`,
        });
      }
      out[name] = walk(item, `${at}${at ? '.' : ''}${name}`);
    }
    return out;
  };
  return { value: walk(value, path), repairs };
}
