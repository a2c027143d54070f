import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeBackend, selectBackend, type BackendName } from '../backend';
import { parseOverride } from '../config/overrides';
import { revalidateConfig, type ResolvedConfigBase } from '../config/resolve';
import { SpredError, UsageError } from '../errors';
import { gitInfo, packageInfo, readManifest } from '../results/manifest';
import { installInterruptGuard, type InterruptGuard } from '../results/interrupt';
import { CONFIG_FILE, withRun } from '../results/run';
import { defaultWorkers, runSweep } from '../sweep/executor';
import { resolveShard, shardIndices, type Shard } from '../sweep/shard';
import { findTask, resolveTaskConfig, TASK_SCHEMAS } from '../tasks/registry';

export interface RunCommandOptions {
  backend?: string;
  out?: string;
  seed?: number;
  set?: string[];
  quiet?: boolean;
  verbose?: boolean;
  /** Worker threads; default: the task's default (one per core for most). */
  workers?: number;
  /** `i/n`. */
  shard?: string;
  /** n, with the index from JOB_COMPLETION_INDEX or a Slurm array. */
  shardCount?: number;
  /** An existing run directory to complete. */
  resume?: string;
  /** Every check a run makes before its run directory exists, then stop: print the plan, write nothing. */
  dryRun?: boolean;
}

interface Plan {
  config: ResolvedConfigBase;
  source: string;
  shard?: Shard;
  /** The run directory to continue. */
  dir?: string;
  /** Said before the run starts (a resumed run made by other code). */
  notes?: string[];
}

/** `--resume <dir>`: the run's own resolved config and shard; nothing may change them. */
function planResume(dir: string, file: string | undefined, opts: RunCommandOptions): Plan {
  const conflicting = [
    file !== undefined && `a config file (${file})`,
    (opts.set ?? []).length > 0 && '--set',
    opts.seed !== undefined && '--seed',
    opts.out !== undefined && '--out',
    (opts.shard !== undefined || opts.shardCount !== undefined) && '--shard',
  ].filter(Boolean);
  if (conflicting.length > 0) {
    throw new UsageError(`--resume ${dir}: a resumed run keeps its own config and shard; drop ${conflicting.join(', ')}`);
  }
  const configFile = path.join(dir, CONFIG_FILE);
  if (!fs.existsSync(configFile)) throw new UsageError(`--resume ${dir}: not a run directory (no ${CONFIG_FILE})`);
  const manifest = readManifest(dir);
  if (!manifest) throw new UsageError(`--resume ${dir}: not a run directory (no manifest.json)`);
  if (manifest.mergedFrom) throw new UsageError(`--resume ${dir}: a merged run is complete by construction; resume its shards instead`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (e) {
    throw new UsageError(`${configFile}: not JSON (${(e as Error).message})`);
  }
  const config = revalidateConfig(configFile, raw, TASK_SCHEMAS);
  if (opts.backend !== undefined) config.backend = opts.backend as ResolvedConfigBase['backend'];
  const now = { version: packageInfo().version, commit: gitInfo().commit };
  const notes =
    manifest.package.version !== now.version || manifest.git.commit !== now.commit
      ? [`note: the run's earlier fits were made by spred ${manifest.package.version} (${manifest.git.commit ?? 'no git'}), the rest by ${now.version} (${now.commit ?? 'no git'})`]
      : [];
  return { config, source: configFile, shard: manifest.sweep?.shard ?? undefined, dir: path.resolve(dir), notes };
}

/**
 * `spred run <config>` (or `--resume <run-dir>`): every check that can fail on bad input (config,
 * overrides, shard, inputs, backend) happens before the run directory exists, so a bad input writes
 * nothing. The fits then go through the sweep executor (src/sweep/executor.ts).
 */
export async function runCommand(file: string | undefined, opts: RunCommandOptions): Promise<string> {
  // Installed before the first await: reading inputs and starting a backend can take seconds on a busy
  // machine, and a Ctrl-C then should end with exit 130 and one line, not kill Node by the signal.
  let started = false;
  const guard = installInterruptGuard({
    notice: (line) => process.stderr.write(`${started ? line : line.replace(/:.*$/s, ': stopping before the run directory is made; nothing is written')}\n`),
  });
  try {
    return await planAndRun(file, opts, guard, () => (started = true));
  } finally {
    guard.dispose();
  }
}

async function planAndRun(file: string | undefined, opts: RunCommandOptions, guard: InterruptGuard, onStart: () => void): Promise<string> {
  let plan: Plan;
  if (opts.resume !== undefined) plan = planResume(opts.resume, file, opts);
  else {
    if (file === undefined) throw new UsageError('spred run: a config file is required (or --resume <run-dir>)');
    const overrides = (opts.set ?? []).map(parseOverride);
    const config = resolveTaskConfig(file, { overrides, seed: opts.seed, backend: opts.backend, output: opts.out });
    plan = { config, source: file, shard: resolveShard({ shard: opts.shard, shardCount: opts.shardCount }) };
  }
  const { config } = plan;
  if (opts.workers !== undefined && (!Number.isInteger(opts.workers) || opts.workers < 1)) {
    throw new UsageError(`--workers ${opts.workers}: expected a positive integer`);
  }
  const bound = findTask(config.task)!.bind(config);
  let inputs: unknown;
  try {
    inputs = await bound.checkInputs();
  } catch (e) {
    // The task names the field; the line also names the config it came from.
    if (e instanceof SpredError) throw new UsageError(`${plan.source}: ${e.message}`);
    throw e;
  }
  const backend = await selectBackend(config.backend as BackendName);
  const workers = opts.workers ?? defaultWorkers(bound, backend);
  try {
    bound.checkMemory(inputs, workers);
  } catch (e) {
    if (e instanceof SpredError) throw new UsageError(`${plan.source}: ${e.message}`);
    throw e;
  }
  const preamble = [
    describeBackend(backend),
    `config: ${plan.source} (task ${config.task}, name ${config.name}, seed ${config.seed})`,
    ...[bound.describe(inputs)].filter((l): l is string => l !== undefined),
    ...(plan.notes ?? []),
  ];
  if (!opts.quiet) for (const line of preamble) process.stderr.write(`${line}\n`);
  if (opts.dryRun) {
    const n = bound.fitKeys.length;
    const slice = plan.shard ? `, shard ${plan.shard.index}/${plan.shard.count}: ${shardIndices(n, plan.shard).length} of them` : '';
    process.stdout.write(`dry run: ${n} fit${n === 1 ? '' : 's'}${slice}, on ${workers} worker${workers === 1 ? '' : 's'}; nothing written\n`);
    return '';
  }
  // A signal before this point leaves no run directory behind.
  guard.throwIfInterrupted();
  onStart();
  // The run directory goes to stdout whenever it exists, also when the run fails or is interrupted,
  // so a script can `spred run --resume "$dir"`.
  let made: string | undefined;
  try {
    await withRun(
      {
        root: config.output,
        task: config.task,
        name: config.name,
        config,
        seed: config.seed,
        backend,
        quiet: Boolean(opts.quiet),
        dir: plan.dir,
        sweep: { fits: bound.fitKeys.length, shard: plan.shard ?? null, workers },
        logPreamble: preamble,
        interrupt: guard,
      },
      async (ctx) => {
        made = ctx.dir;
        if (!opts.quiet) process.stderr.write(`run directory: ${ctx.dir}\n`);
        await runSweep(bound, ctx, { workers, shard: plan.shard, backend, inputs, verbose: opts.verbose });
      },
    );
  } finally {
    if (made !== undefined) process.stdout.write(`${made}\n`);
  }
  return made!;
}
