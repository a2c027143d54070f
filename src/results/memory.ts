import * as os from 'node:os';
import { UsageError } from '../errors';

/** `1.5 GB`, `320 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toLocaleString('en-US', { maximumFractionDigits: bytes >= 1e11 ? 0 : 1 })} GB`;
  return `${Math.ceil(bytes / 1e6)} MB`;
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
