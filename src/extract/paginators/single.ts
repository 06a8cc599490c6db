/**
 * One object: `GET /api/enrichment/{id}` → `{"run":{…}}`. Top-level fields beside the object are
 * kept on the record under their own names when the object lacks them — so `account` becomes
 * `{id, email, fullName, profile: {firstName, lastName}, canManageAuth}` (profile kept nested, as
 * jsonb, rather than flattened: its fields are Puffle's to extend). A null object yields no record.
 * The records key `*body` takes the whole response as the record (a network connection's detail
 * is a bare object of arrays).
 */
import { PaginationError } from '../errors/pagination-error.ts';
import { asBody, type FetchPage, type Row, type WalkContext } from './body.ts';
import type { Page } from './types.ts';

export async function* walkSingle(fetchPage: FetchPage, ctx: WalkContext): AsyncGenerator<Page> {
  const body = asBody(ctx, await fetchPage({}));
  if (ctx.recordsAt.includes('*body')) {
    yield { records: [{ ...body }], resume: null };
    return;
  }
  const key = ctx.recordsAt.find((k) => k in body);
  if (key === undefined) {
    throw new PaginationError(
      ctx.stream,
      'no_object',
      `no "${ctx.recordsAt.join('" or "')}" object in the response (fields: ${Object.keys(body).join(', ') || 'none'})`,
    );
  }
  const value = body[key];
  if (value === null) {
    yield { records: [], resume: null };
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PaginationError(ctx.stream, 'no_object', `"${key}" is not an object`);
  }
  const record: Row = { ...(value as Row) };
  for (const [k, v] of Object.entries(body)) if (k !== key && !(k in record)) record[k] = v;
  yield { records: [record], resume: null };
}
