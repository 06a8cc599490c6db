/**
 * Keeps one page in flight while the caller writes the previous one, so fetching (bounded by the
 * request budget) and loading (bounded by Postgres) overlap instead of taking turns.
 * At most one extra page is buffered: memory stays bounded whatever the stream size.
 */
export async function* prefetchOne<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let pending = source.next();
  try {
    while (true) {
      const current = await pending;
      if (current.done) return;
      pending = source.next();
      // Attach a handler now: if the caller stops consuming, a rejected prefetch must not become
      // an unhandled rejection; it is re-thrown below when (and if) the caller asks for it.
      pending.catch(() => {});
      yield current.value;
    }
  } finally {
    await source.return(undefined);
  }
}
