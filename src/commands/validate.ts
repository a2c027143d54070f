import { resolveTaskConfig } from '../tasks/registry';
import { SpredError, UsageError } from '../errors';

/** Validates every file, printing one line each; fails (exit 2) if any is invalid. */
export async function validateCommand(files: string[]): Promise<void> {
  let bad = 0;
  for (const file of files) {
    try {
      const c = resolveTaskConfig(file);
      process.stdout.write(`ok      ${file} (task ${c.task}, name ${c.name})\n`);
    } catch (e) {
      if (!(e instanceof SpredError)) throw e;
      bad++;
      process.stdout.write(`invalid ${e.message}\n`);
    }
  }
  if (bad > 0) throw new UsageError(`${bad} of ${files.length} config${files.length === 1 ? '' : 's'} invalid`);
}
