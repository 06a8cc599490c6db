/**
 * Record generators for the LEGACY list sheets: columns, rows and the cells of a row (one per
 * current column of its list, derived when the row is served, so a column added or removed shows
 * in every row at once).
 */
import type { Rec } from './collection.ts';
import { COMPANIES, TITLES } from './pools.ts';
import { hash, hashString, iso, Rng, uuid4 } from './rng.ts';
import type { World } from './world.ts';

const COLUMN_KINDS = [
  {
    name: 'Full name',
    responseType: 'text',
    source: 'built_in',
    builtInKey: 'full_name',
    category: 'person',
  },
  { name: 'Company', responseType: 'text', source: 'built_in', builtInKey: 'company', category: 'company' },
  { name: 'Uses Snowflake?', responseType: 'boolean', source: 'ai', builtInKey: null, category: 'research' },
  { name: 'ICP score', responseType: 'number', source: 'ai', builtInKey: null, category: 'scoring' },
  {
    name: 'Work email',
    responseType: 'text',
    source: 'enrichment',
    builtInKey: null,
    category: 'enrichment',
  },
  { name: 'Recent funding', responseType: 'text', source: 'ai', builtInKey: null, category: 'research' },
] as const;

export function listColumn(w: World, g: number): Rec {
  const l = w.listColumnSeg.parentOf(g);
  const k = g - w.listColumnSeg.start(l);
  const kind = COLUMN_KINDS[k % COLUMN_KINDS.length]!;
  const ai = kind.source === 'ai';
  return {
    id: w.listColumns.id(g),
    listId: w.lists.id(l),
    name: kind.name,
    prompt: ai ? `Answer for {{full_name}} at {{company}}: ${kind.name}` : null,
    responseType: kind.responseType,
    source: kind.source,
    subject: kind.category === 'company' ? 'company' : 'person',
    isFilter: false,
    position: k,
    schema: { type: kind.responseType },
    enrichmentType: kind.source === 'enrichment' ? 'work_email' : null,
    config: ai ? { model: 'default' } : {},
    createdAt: iso(w.listColumns.createdMs(g)),
    isPreview: false,
    category: kind.category,
    builtInKey: kind.builtInKey,
  };
}

export function listRow(w: World, g: number): Rec {
  const l = w.listRowSeg.parentOf(g);
  const r = w.listRows.rng(g, 1);
  const p = w.person(r);
  const co = w.company(r);
  return {
    id: w.listRows.id(g),
    listId: w.lists.id(l),
    linkedinUrl: `https://www.linkedin.com/in/${r.hex(10)}`,
    profileData: { firstName: p.first, lastName: p.last, headline: r.pick(TITLES), company: co.name },
    source: r.pick(['search', 'csv', 'sales_nav']),
    addedAt: iso(w.listRows.createdMs(g)),
    companyRowId: null,
    companyDomain: co.domain,
  };
}

/** The cells of `row` for the list's columns as they are now; a few are still pending (no value). */
export function cellsOf(row: Rec, columns: readonly Rec[]): Rec[] {
  const rowId = String(row.id);
  return columns.map((col) => {
    const columnId = String(col.id);
    const r = new Rng(hash(hashString(rowId), hashString(columnId)));
    const pending = r.bool(0.1);
    const at = Date.parse(String(row.addedAt ?? row.createdAt ?? '2026-01-01T00:00:00Z')) + 60_000;
    return {
      id: uuid4(r),
      columnId,
      rowId,
      value: pending ? null : cellValue(String(col.responseType), r),
      status: pending ? 'pending' : 'completed',
      reasoning: col.source === 'ai' && !pending ? 'Found on the company website.' : null,
      error: null,
      createdAt: iso(at),
      updatedAt: iso(at + (pending ? 0 : 90_000)),
    };
  });
}

function cellValue(type: string, r: Rng): unknown {
  if (type === 'boolean') return r.bool();
  if (type === 'number') return r.int(0, 100);
  return `${r.pick(COMPANIES)} · ${r.hex(4)}`;
}
