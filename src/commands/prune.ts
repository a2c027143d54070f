import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { packageRoot } from '../paths';
import { CONFIG_FILE } from '../results/run';
import { resolveTaskConfig } from '../tasks/registry';
import { runCommand, type RunCommandOptions } from './run';

/** The config `spred prune` runs without `--config`: CIFAR-10 at paper scale. */
export const DEFAULT_PRUNE_CONFIG = 'configs/resnet-pruning.yaml';

export interface PruneCommandOptions extends RunCommandOptions {
  config?: string;
  /** The paper's κ: the authors' PyTorch weight decay on every parameter (config field `weightDecay`). */
  kappa?: number;
  /** A run directory of resnet-pruning whose trained networks are pruned instead of training new ones. */
  from?: string;
  thresholds?: number[];
  finetuneEpochs?: number;
}

/** The default config from the working directory, else the one shipped with the package. */
function defaultConfig(): string {
  if (fs.existsSync(DEFAULT_PRUNE_CONFIG)) return DEFAULT_PRUNE_CONFIG;
  return path.join(packageRoot(), DEFAULT_PRUNE_CONFIG);
}

/** `--resume <run-dir>`: `spred run --resume` of a resnet-pruning run; the run keeps its own config. */
function resume(dir: string, opts: PruneCommandOptions): Promise<string> {
  const given = [
    opts.config !== undefined && '--config',
    opts.kappa !== undefined && '--kappa',
    opts.from !== undefined && '--from',
    opts.thresholds !== undefined && '--thresholds',
    opts.finetuneEpochs !== undefined && '--finetune-epochs',
  ].filter(Boolean);
  if (given.length > 0) throw new UsageError(`--resume ${dir}: a resumed run keeps its own config; drop ${given.join(', ')}`);
  const configFile = path.join(dir, CONFIG_FILE);
  if (fs.existsSync(configFile)) {
    let task: unknown;
    try {
      task = (JSON.parse(fs.readFileSync(configFile, 'utf8')) as { task?: unknown }).task;
    } catch {
      task = undefined; // runCommand names the broken file
    }
    if (task !== undefined && task !== 'resnet-pruning') throw new UsageError(`--resume ${dir}: a run of task ${String(task)}, not resnet-pruning (use spred run --resume)`);
  }
  return runCommand(undefined, opts);
}

/**
 * `spred prune`: `spred run` of a resnet-pruning config with the pruning flags turned into config
 * fields (so they land in the run's config.json and `--resume` keeps them), everything else shared with
 * `spred run` (backend, output, seed, `--set`, workers, shards, quiet).
 */
export async function pruneCommand(opts: PruneCommandOptions): Promise<string> {
  if (opts.resume !== undefined) return resume(opts.resume, opts);
  const file = opts.config ?? defaultConfig();
  const task = resolveTaskConfig(file).task;
  if (task !== 'resnet-pruning') throw new UsageError(`${file}: spred prune runs resnet-pruning configs, this one is task ${task} (use spred run)`);
  const set = [...(opts.set ?? [])];
  if (opts.kappa !== undefined) set.push(`weightDecay=${JSON.stringify(opts.kappa)}`);
  if (opts.from !== undefined) set.push(`from=${JSON.stringify(opts.from)}`);
  // The thresholds given replace every spred setting of the config, the ones given as compression ratios too.
  if (opts.thresholds !== undefined) set.push(`pruning.thresholds=${JSON.stringify(opts.thresholds)}`, 'pruning.spredRatios=[]');
  if (opts.finetuneEpochs !== undefined) set.push(`finetune.epochs=${JSON.stringify(opts.finetuneEpochs)}`);
  return runCommand(file, { ...opts, set });
}
