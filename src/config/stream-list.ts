/** `--streams a,b` / PUFFLE_SYNC_STREAMS: known stream names, at least one, duplicates dropped. */
import { STREAM_NAMES, type StreamName } from '../extract/streams.ts';
import { InvalidValue, type Kind, splitList } from './kinds.ts';

export const streamList: Kind<StreamName[]> = {
  expect: `comma-separated stream names (${STREAM_NAMES.length} known, listed on a wrong name)`,
  parse(raw) {
    const names = splitList(raw);
    if (names.length === 0) throw new InvalidValue(`names no stream (known: ${STREAM_NAMES.join(', ')})`);
    const unknown = names.filter((n) => !STREAM_NAMES.includes(n as StreamName));
    if (unknown.length > 0)
      throw new InvalidValue(
        `names unknown stream ${unknown.map((n) => JSON.stringify(n.slice(0, 40))).join(', ')} (known: ${STREAM_NAMES.join(', ')})`,
      );
    return names as StreamName[];
  },
};
