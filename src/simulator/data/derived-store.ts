/**
 * A stream computed at each read from other streams (usage snapshots, settings, dashboard
 * rollups): it has no records of its own, so it cannot be mutated — change its sources instead.
 */
import { MutationError } from '../errors/mutation-error.ts';
import { Collection, type Rec } from './collection.ts';
import { Store, type StoreShape } from './store.ts';

export class DerivedStore extends Store {
  constructor(
    shape: StoreShape,
    private readonly listPartitions: () => string[],
    /** The records of a partition on a UTC day (`today` when omitted); undefined: no such partition. */
    private readonly compute: (partition: string, day?: string) => Rec[] | undefined,
  ) {
    super(shape);
  }

  get(partition: string): Collection | undefined {
    const records = this.compute(partition);
    return records && this.collectionOf(records);
  }

  /** The records of a partition on `day` (streams whose endpoint takes a date). */
  on(partition: string, day: string): Rec[] | undefined {
    return this.compute(partition, day);
  }

  partitions(): string[] {
    return this.listPartitions();
  }

  locate(): string | undefined {
    return undefined;
  }

  template(): Rec {
    throw new MutationError(`${this.shape.stream} is derived from other streams: mutate those instead`);
  }

  private collectionOf(records: Rec[]): Collection {
    const id = this.shape.idField;
    return new Collection(
      {
        size: records.length,
        make: (i) => records[i] as Rec,
        indexOf: (key) => {
          const i = records.findIndex((r) => String(r[id]) === key);
          return i < 0 ? undefined : i;
        },
      },
      'asc',
    );
  }
}
