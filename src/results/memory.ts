import * as os from 'node:os';
import { UsageError } from '../errors';

/** `1.5 GB`, `320 MB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toPrecision(3)} GB` : `${Math.ceil(bytes / 1e6)} MB`;
}

/**
 * Refuses, before any run directory exists, a config whose main arrays (estimated by the task) would
 * not fit in this machine's memory, naming the fields that set the size.
 */
export function requireMemory(fields: string, bytes: number, available: number = os.totalmem()): void {
  if (!Number.isFinite(bytes) || bytes > available) {
    throw new UsageError(`${fields}: this run would need about ${formatBytes(bytes)} of memory; this machine has ${formatBytes(available)}`);
  }
}
