/**
 * A record that holds one object per channel (`{week_start, linkedin:{…}, email:{…}}`) becomes
 * one record per channel present, so each is a row BI can filter and sum (StreamDef.explode).
 */
import type { Page } from './paginators/types.ts';
import type { StreamDef } from './streams.ts';

type Rec = Record<string, unknown>;

export function explodeRecords(records: readonly Rec[], spec: NonNullable<StreamDef['explode']>): Rec[] {
  const out: Rec[] = [];
  for (const record of records) {
    const rest: Rec = { ...record };
    for (const field of spec.fields) delete rest[field];
    for (const field of spec.fields) {
      const part = record[field];
      if (part === undefined) continue;
      const values = part !== null && typeof part === 'object' && !Array.isArray(part) ? (part as Rec) : {};
      out.push({ ...rest, [spec.column]: field, ...values });
    }
  }
  return out;
}

export async function* explodePages(pages: AsyncIterable<Page>, def: StreamDef): AsyncGenerator<Page> {
  for await (const page of pages)
    yield def.explode ? { ...page, records: explodeRecords(page.records, def.explode) } : page;
}
