/**
 * A stream's records as collections per partition. Root streams have one collection (`''`);
 * child streams create one per parent id on first use, and only while the parent exists.
 */
import { MutationError } from '../errors/mutation-error.ts';
import type { StreamName } from '../types.ts';
import { type BaseSource, Collection, EMPTY_SOURCE, type Rec, type Serve } from './collection.ts';
import type { IdSpace, Segments } from './space.ts';
import type { World } from './world.ts';

export interface StoreShape {
  stream: StreamName;
  order: 'asc' | 'desc';
  /** The field that identifies a record (`account_id` for campaign senders). */
  idField: string;
  /** Dotted paths of the creation / last-change timestamps, set on insert and moved on update. */
  created?: string;
  updated?: string;
  /** Field of a child record naming its parent (set on insert). */
  parentField?: string;
  /** Updates that touch one of these fields move the record to the head (threads by last_message_at). */
  moveOn?: readonly string[];
  /** Fills fields derived from other streams on every read (see Collection). */
  serve?: Serve;
}

export abstract class Store {
  constructor(readonly shape: StoreShape) {}

  /** The collection of a partition, or undefined when the partition does not exist (404). */
  abstract get(partition: string): Collection | undefined;
  /** Partition ids a complete walk visits, in parent order. */
  abstract partitions(): string[];
  /** Where a record with this id lives, if anywhere. */
  abstract locate(id: string): string | undefined;
  /** A generated record to base an inserted one on. */
  abstract template(partition: string, seq: number): Rec;
}

export class RootStore extends Store {
  readonly collection: Collection;

  /** `base` is generated records, or a ready collection (a live view of another stream). */
  constructor(
    shape: StoreShape,
    base: BaseSource | Collection,
    private readonly makeTemplate: (seq: number) => Rec,
  ) {
    super(shape);
    this.collection = base instanceof Collection ? base : new Collection(base, shape.order, shape.serve);
  }

  get(partition: string): Collection | undefined {
    return partition === '' ? this.collection : undefined;
  }

  partitions(): string[] {
    return [''];
  }

  locate(id: string): string | undefined {
    return this.collection.get(id) ? '' : undefined;
  }

  template(_partition: string, seq: number): Rec {
    return this.makeTemplate(seq);
  }
}

export function spaceSource(space: IdSpace, make: (i: number) => Rec, size = space.count): BaseSource {
  return { size, make, indexOf: (id) => space.indexOf(id) };
}

/** Children of each parent record (parent index c → a base source). */
export class ChildStore extends Store {
  private readonly byParent = new Map<string, Collection>();

  constructor(
    shape: StoreShape,
    private readonly parent: RootStore,
    private readonly parentSpace: IdSpace,
    private readonly baseFor: (c: number) => BaseSource,
    private readonly makeTemplate: (seq: number) => Rec,
    /** Which live parents a complete walk visits (default: all). */
    private readonly walked: (parent: Rec) => boolean = () => true,
  ) {
    super(shape);
  }

  get(partition: string): Collection | undefined {
    return this.parent.collection.stored(partition) ? this.collectionOf(partition) : undefined;
  }

  /** The children of a parent id, without checking that the parent still exists. */
  collectionOf(partition: string): Collection {
    let coll = this.byParent.get(partition);
    if (!coll) {
      const c = this.parentSpace.indexOf(partition);
      coll = new Collection(
        c === undefined ? EMPTY_SOURCE : this.baseFor(c),
        this.shape.order,
        this.shape.serve,
      );
      this.byParent.set(partition, coll);
    }
    return coll;
  }

  partitions(): string[] {
    const out: string[] = [];
    for (const { record } of this.parent.collection.storedEntries()) {
      if (this.walked(record)) out.push(String(record[this.parent.shape.idField]));
    }
    return out;
  }

  locate(id: string): string | undefined {
    for (const [pid, coll] of this.byParent)
      if (coll.get(id) && this.parent.collection.stored(pid)) return pid;
    for (const { record } of this.parent.collection.storedEntries()) {
      const pid = String(record[this.parent.shape.idField]);
      if (!this.byParent.has(pid) && this.get(pid)?.get(id)) return pid;
    }
    return undefined;
  }

  template(_partition: string, seq: number): Rec {
    return this.makeTemplate(seq);
  }
}

export function segmentSource(
  seg: Segments,
  space: IdSpace,
  c: number,
  make: (g: number) => Rec,
): BaseSource {
  const start = seg.start(c);
  const size = seg.size(c);
  return {
    size,
    make: (i) => make(start + i),
    indexOf: (id) => {
      const g = space.indexOf(id);
      return g !== undefined && g >= start && g < start + size ? g - start : undefined;
    },
  };
}

/** Streams partitioned by a fixed value (signal_leads by `groupBy`). */
export class FanOutStore extends Store {
  private readonly colls: Map<string, Collection>;

  constructor(
    shape: StoreShape,
    bases: Record<string, BaseSource>,
    private readonly makeTemplate: (partition: string, seq: number) => Rec,
  ) {
    super(shape);
    this.colls = new Map(
      Object.entries(bases).map(([k, b]) => [k, new Collection(b, shape.order, shape.serve)]),
    );
  }

  get(partition: string): Collection | undefined {
    return this.colls.get(partition);
  }

  partitions(): string[] {
    return [...this.colls.keys()];
  }

  locate(id: string): string | undefined {
    for (const [k, c] of this.colls) if (c.get(id)) return k;
    return undefined;
  }

  template(partition: string, seq: number): Rec {
    return this.makeTemplate(partition, seq);
  }
}

export type { World };

/**
 * At most one record per live parent, derived from the parent as it is now (a connection's
 * detail, a research person's report): read-only, it changes only when its parent does.
 */
export class PerParentStore extends Store {
  constructor(
    shape: StoreShape,
    private readonly parent: RootStore,
    private readonly derive: (parent: Rec) => Rec | undefined,
  ) {
    super(shape);
  }

  get(partition: string): Collection | undefined {
    const parent = this.parent.collection.get(partition)?.record;
    if (!parent) return undefined;
    const record = this.derive(parent);
    const source: BaseSource = record
      ? { size: 1, make: () => record, indexOf: (id) => (id === partition ? 0 : undefined) }
      : EMPTY_SOURCE;
    return new Collection(source, this.shape.order);
  }

  partitions(): string[] {
    return [...this.parent.collection.storedEntries()].map((e) =>
      String(e.record[this.parent.shape.idField]),
    );
  }

  locate(id: string): string | undefined {
    return this.parent.collection.stored(id) ? id : undefined;
  }

  template(): Rec {
    throw derivedOnly(this.shape.stream);
  }
}

export function derivedOnly(stream: StreamName): MutationError {
  return new MutationError(`${stream} is derived from its parent: change the parent instead`);
}
