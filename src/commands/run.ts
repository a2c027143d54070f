import { describeBackend, selectBackend, type BackendName } from '../backend';
import { parseOverride } from '../config/overrides';
import { resolveConfig } from '../config/resolve';
import { withRun } from '../results/run';
import { findTask } from '../tasks/registry';

export interface RunCommandOptions {
  backend?: string;
  out?: string;
  seed?: number;
  set?: string[];
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * `spred run <config>`: every check that can fail on bad input (config, overrides, backend) happens
 * before the run directory exists, so a bad input writes nothing.
 */
export async function runCommand(file: string, opts: RunCommandOptions): Promise<string> {
  const overrides = (opts.set ?? []).map(parseOverride);
  const config = resolveConfig(file, { overrides, seed: opts.seed, backend: opts.backend, output: opts.out });
  const task = findTask(config.task)!;
  task.checkInputs?.(config as never);
  const runner = task.loadRunner();
  const backend = await selectBackend(config.backend as BackendName);
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  say(describeBackend(backend));
  say(`config: ${file} (task ${config.task}, name ${config.name}, seed ${config.seed})`);
  const dir = await withRun(
    { root: config.output, task: config.task, name: config.name, config, seed: config.seed, backend, quiet: Boolean(opts.quiet) },
    async (ctx) => {
      say(`run directory: ${ctx.dir}`);
      await runner(config as never, ctx);
    },
  );
  process.stdout.write(`${dir}\n`);
  return dir;
}
