export { RunAbortedError } from '../../errors/run-aborted-error.ts';
export { PartitionFailedError } from './partition-failed-error.ts';
