/**
 * The exit codes, documented in the README: `interrupted` is an inline run stopped by SIGINT or
 * SIGTERM after its current page (128 + SIGINT, as shells report Ctrl-C); the next `sync` continues it.
 */
export const EXIT = { ok: 0, failure: 1, config: 2, authRejected: 3, interrupted: 130 } as const;
