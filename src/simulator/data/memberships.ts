/**
 * List memberships as they are now, and the fields derived from them on every read: a lead's
 * `lists` and a list's `leadCount` / `personCount` / `companyCount`. A list holds its generated
 * range of leads (World.listRange) minus the removals and plus the additions recorded in the
 * overlay of its list_leads collection, so nothing is materialised: the 1.4 M generated
 * memberships of a 1M-lead account stay free. Only each list's generated person/company split is
 * counted, once (≈70 ms for all lists at 1M leads).
 */
import type { Collection } from './collection.ts';
import { leadType } from './gen-leads.ts';
import type { ChildStore, RootStore } from './store.ts';
import type { World } from './world.ts';

interface ListRef {
  key: number;
  id: string;
  name: unknown;
  /** The generated range of leads [start, end). */
  start: number;
  end: number;
  members: Collection;
}

export interface ListCounts {
  leadCount: number;
  personCount: number;
  companyCount: number;
}

export class Memberships {
  private refs: ListRef[] = [];
  private refsVersion = -1;
  private readonly generated = new Map<number, { person: number; company: number }>();

  constructor(
    private readonly w: World,
    private readonly stores: () => { leads: RootStore; lists: RootStore; list_leads: ChildStore },
    /** Moves on every mutation: the live lists are re-read only then. */
    private readonly version: () => number,
  ) {}

  /** `{id, name}` of the live lists holding a lead (`g` = its generated index, undefined if inserted). */
  listsOf(g: number | undefined, id: string): { id: string; name: unknown }[] {
    const out: { id: string; name: unknown }[] = [];
    for (const ref of this.liveLists()) {
      const m = ref.members;
      const generated = g !== undefined && g >= ref.start && g < ref.end && !m.deletedBase.has(g - ref.start);
      if (generated || (m.insertedEntries.length > 0 && m.hasInserted(id))) {
        out.push({ id: ref.id, name: ref.name });
      }
    }
    return out;
  }

  /** Counts of the list with this id; `key` is its key in the lists collection. */
  counts(listId: string, key: number, inserted: boolean): ListCounts {
    const { leads, list_leads } = this.stores();
    const members = list_leads.collectionOf(listId);
    const n = { person: 0, company: 0 };
    const add = (type: unknown, d: number) => {
      if (type === 'person' || type === 'company') n[type] += d;
    };
    if (!inserted) {
      const { start, size } = this.w.listRange(key);
      Object.assign(n, this.generatedCounts(key, start, size));
      for (const d of members.deletedBase) add(leadType(this.w, start + d), -1);
      // Leads whose type was changed, still in this list.
      for (const [g, patch] of leads.collection.patchedBase) {
        if (!('type' in patch) || g < start || g >= start + size || members.deletedBase.has(g - start))
          continue;
        add(leadType(this.w, g), -1);
        add(patch.type, 1);
      }
    }
    for (const e of members.insertedEntries)
      add(leads.collection.stored(String(e.record.id))?.record.type, 1);
    return { leadCount: members.size, personCount: n.person, companyCount: n.company };
  }

  private generatedCounts(l: number, start: number, size: number): { person: number; company: number } {
    let c = this.generated.get(l);
    if (!c) {
      let company = 0;
      for (let g = start; g < start + size; g++) if (leadType(this.w, g) === 'company') company++;
      c = { person: size - company, company };
      this.generated.set(l, c);
    }
    return c;
  }

  /** The live lists in creation order (generated ones by index, then inserted ones). */
  private liveLists(): ListRef[] {
    const v = this.version();
    if (v === this.refsVersion) return this.refs;
    const { lists, list_leads } = this.stores();
    const refs: ListRef[] = [];
    for (const { key, record } of lists.collection.storedEntries()) {
      const id = String(record.id);
      const { start, size } = key < this.w.sizes.lists ? this.w.listRange(key) : { start: 0, size: 0 };
      refs.push({
        key,
        id,
        name: record.name,
        start,
        end: start + size,
        members: list_leads.collectionOf(id),
      });
    }
    this.refs = refs.sort((a, b) => a.key - b.key);
    this.refsVersion = v;
    return this.refs;
  }
}
