export const EXIT = { ok: 0, failure: 1, config: 2, authRejected: 3 } as const;
