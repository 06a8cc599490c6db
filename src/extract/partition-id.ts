/**
 * Ids used as URL path segments (a parent's id in `/api/campaigns/{id}/leads`, an enrichment run
 * id) come from the API or from configuration, so they are not trusted: `..` would turn
 * `/api/campaigns/../leads` into `/api/leads`, and `/`, `\` or `%` could do the same once a server
 * or proxy decodes them. Such an id is refused before any request is built.
 */
const MAX_LENGTH = 512;

/** C0 and C1 control characters and DEL: never part of an id or a path. */
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/** Why `id` cannot be used in a request path ("is \"..\""), or undefined when it can. */
export function unsafePartitionReason(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (id === '.' || id === '..') return `is "${id}", a path step rather than an id`;
  if (/[/\\%]/.test(id)) return 'contains "/", "\\" or "%", which a server may read as a path';
  if (hasControlCharacters(id)) return 'contains control characters';
  if (id.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  return undefined;
}

/** `id` as it can be stored and shown: control characters written as `\uXXXX`, length bounded. */
export function printableId(id: string): string {
  let out = '';
  for (const c of id.slice(0, MAX_LENGTH)) {
    const code = c.charCodeAt(0);
    out += isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}
