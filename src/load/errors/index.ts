export { DatabaseLockedError } from './database-locked-error.ts';
export { DatabaseUnreachableError } from './database-unreachable-error.ts';
export { PageCommitError } from './page-commit-error.ts';
export { SyncStateInvalidError } from './sync-state-invalid-error.ts';
