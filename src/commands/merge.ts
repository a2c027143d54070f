import { mergeShards, type MergeOptions } from '../sweep/merge';

/** `spred merge <dirs…>`: prints the merged run directory. */
export async function mergeCommand(dirs: string[], opts: MergeOptions): Promise<void> {
  const dir = await mergeShards(dirs, opts);
  process.stdout.write(`${dir}\n`);
}
