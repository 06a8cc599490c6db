export { PartitionFailedError } from './partition-failed-error.ts';
export { RunAbortedError } from './run-aborted-error.ts';
