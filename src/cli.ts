/**
 * The command-line program: declares commands, flags and examples only. Each command lives in its
 * own module under src/commands/, required when it runs; commands throw typed errors (src/errors.ts)
 * and only `main` turns them into an exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { BACKEND_NAMES } from './backend';
import { SpredError } from './errors';
import { packageVersion } from './paths';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function buildProgram(): Command {
  const program = new Command();
  // Set before any subcommand is added so they inherit it: commander then throws instead of calling
  // process.exit, and only `main` decides the exit code.
  program.exitOverride();
  program
    .name('spred')
    .description('Sparsity by redundancy: reproduce the paper\'s experiments with exact L1 sparsity from plain SGD')
    .version(packageVersion(), '-V, --version')
    .option('--verbose', 'print stack traces, and per-fit and per-step detail (each fit\'s end, epochs, solves)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      examples([
        'spred run configs/lasso-smoke.json',
        'spred run configs/lasso.json --backend wasm --set iterations=2000',
        'spred validate configs/*.json configs/*.yaml',
        'spred list',
        'spred check results/lasso/lasso-smoke-20261123T190000Z',
        'spred data fetch mnist',
      ]),
    );

  const intFlag = (flag: string, min: number) => (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min) throw new CommanderError(2, 'spred.flag', `${flag} ${v}: expected an integer ≥ ${min}`);
    return Number(v);
  };

  /** The options of every command that runs an experiment through the sweep executor (run, prune). */
  const runPlumbing = (cmd: Command): Command =>
    cmd
      .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices([...BACKEND_NAMES]))
      .option('--out <dir>', 'root directory of run outputs (config field `output`)')
      .option('--seed <n>', 'random seed (config field `seed`)', intFlag('--seed', 0))
      .option('--set <path=value>', 'override a config field by dot path; value parsed as JSON when it parses (repeatable)', collect, [])
      .option('--workers <n>', 'run independent fits on n worker threads (default: one per core; 1 runs in this process)', intFlag('--workers', 1))
      .option('--shard <i/n>', 'run only shard i of n (0 ≤ i < n) of the fits, into its own run directory; join shards with `spred merge`')
      .option('--shard-count <n>', 'shard count when the index comes from the environment (JOB_COMPLETION_INDEX of a Kubernetes Indexed Job)', intFlag('--shard-count', 1))
      .option('--dry-run', 'make every check a run makes before writing anything (config, inputs, memory, backend), print the plan, and stop')
      .option('-q, --quiet', 'no progress output, only the run directory at the end');

  const run = program
    .command('run')
    .description('validate a config and run its experiment; writes results/<task>/<name>-<UTC time>/')
    .argument('[config]', 'experiment config (.json, .yaml or .yml); omitted with --resume')
    .option('--resume <run-dir>', 'complete an interrupted or failed run: run only the fits its journal has no result for');
  runPlumbing(run)
    .addHelpText(
      'after',
      examples([
        'spred run configs/lasso.json',
        'spred run configs/lasso.json --dry-run --set problem.samples=100000',
        'spred run configs/lasso-smoke.json --seed 3 --out /tmp/runs',
        'spred run configs/lasso.json --set lambdas=[0.5,1] --set problem.samples=400',
        'spred run configs/mlp-node-sparsity.yaml --workers 2',
        'spred run configs/mlp-node-sparsity.yaml --shard 0/4 --out runs   # then: spred merge runs/mlp-node-sparsity/*',
        'spred run --resume results/lasso/lasso-20261123T190000Z',
        'spred run configs/lasso.json --backend tensorflow   # needs @tensorflow/tfjs-node-gpu',
        'spred run configs/lasso.json --backend webgpu       # any GPU with a Vulkan driver (README "Running on a GPU")',
      ]) +
        '\nIn a Slurm job array (--array=0-7) the shard is taken from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT;\n' +
        'in a Kubernetes Indexed Job give --shard-count and the index comes from JOB_COMPLETION_INDEX (docs/cluster.md).\n',
    )
    .action(async (config: string | undefined, opts: RunFlags) => {
      const { runCommand } = await import('./commands/run');
      await runCommand(config, { ...opts, verbose: Boolean(program.opts().verbose) });
    });

  const numberList = (flag: string) => (v: string) => {
    const xs = v.split(',').map((s) => Number(s.trim()));
    if (v.trim() === '' || xs.some((x) => !Number.isFinite(x) || x <= 0)) throw new CommanderError(2, 'spred.flag', `${flag} ${v}: expected positive numbers separated by commas`);
    return xs;
  };
  const nonNegative = (flag: string) => (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new CommanderError(2, 'spred.flag', `${flag} ${v}: expected a number ≥ 0`);
    return x;
  };

  const prune = program
    .command('prune')
    .description('train a ResNet with spred, prune it by one global threshold and fine-tune it (paper §5.2); runs a resnet-pruning config')
    .option('--config <file>', 'a resnet-pruning config (default configs/resnet-pruning.yaml: CIFAR-10, ResNet18, paper scale, meant for a GPU)')
    .option(
      '--kappa <k>',
      "the paper's κ, as the authors pass it: PyTorch weight_decay on every parameter, i.e. (κ/2)‖θ‖² on each tensor (both " +
        "factors U and W, biases, batch norm); config field `weightDecay`. spred's own κ (README conventions) is κ/2: --kappa 5e-4 is the paper's setting, spred κ 2.5e-4",
      nonNegative('--kappa'),
    )
    .option('--from <run-dir>', 'prune the networks a resnet-pruning run trained (its models/) instead of training new ones')
    .option('--thresholds <a,b,c>', 'global thresholds on |U⊙W| for the spred network, instead of the config\'s (fields pruning.thresholds, pruning.spredRatios)', numberList('--thresholds'))
    .option('--finetune-epochs <n>', 'fine-tuning epochs after pruning, masks held fixed (0: none; config field finetune.epochs)', intFlag('--finetune-epochs', 0))
    .option('--resume <run-dir>', 'continue an interrupted run: finished networks are kept, an interrupted one continues from its last per-epoch checkpoint');
  runPlumbing(prune)
    .addHelpText(
      'after',
      examples([
        'spred prune --kappa 5e-4                       # the paper: CIFAR-10 ResNet18, 200 epochs, prune, fine-tune 20 epochs',
        'spred prune --config configs/resnet-pruning-smoke.yaml    # a few minutes on a CPU (Fashion-MNIST, narrow ResNet)',
        'spred prune --config configs/resnet-pruning.yaml --from results/resnet-pruning/resnet-pruning-20261201T230000Z \\\n      --thresholds 1e-4,1e-3,1e-2 --finetune-epochs 20   # prune a trained run again, no retraining',
        'spred prune --set data.dataset=cifar100 --kappa 5e-4    # CIFAR-100 (Fig. 5 right)',
        'spred prune --resume results/resnet-pruning/resnet-pruning-20261201T230000Z   # after Ctrl-C: continue from the last epoch',
      ]) +
        "\nκ conventions: spred's κ is the coefficient of κ(‖U‖² + ‖W‖²) (L1 strength 2κ); the paper's κ for ResNet18 is the\n" +
        "authors' PyTorch weight_decay = 2 × spred's κ. --kappa takes the paper's value.\n",
    )
    .action(async (opts: PruneFlags) => {
      const { pruneCommand } = await import('./commands/prune');
      await pruneCommand({ ...opts, verbose: Boolean(program.opts().verbose) });
    });

  program
    .command('merge')
    .description('join the run directories of the shards of one sweep into one run directory, equal to the unsharded run')
    .argument('<run-dir...>', 'every shard\'s run directory (from `spred run --shard i/n`)')
    .option('--out <dir>', 'root directory of the merged run (default: the shards\' `output`)')
    .option('-q, --quiet', 'print only the merged run directory')
    .addHelpText(
      'after',
      examples([
        'spred merge runs/mlp-node-sparsity/mlp-node-sparsity-2026*',
        'spred merge shard-0/lasso/* shard-1/lasso/* --out results',
      ]),
    )
    .action(async (dirs: string[], opts: { out?: string; quiet?: boolean }) => {
      const { mergeCommand } = await import('./commands/merge');
      await mergeCommand(dirs, opts);
    });

  program
    .command('validate')
    .description('check configs against their schema without running them')
    .argument('<config...>', 'one or more config files')
    .addHelpText('after', examples(['spred validate configs/lasso.json', 'spred validate configs/*']))
    .action(async (configs: string[]) => {
      const { validateCommand } = await import('./commands/validate');
      await validateCommand(configs);
    });

  program
    .command('list')
    .description('list the tasks and the configs shipped in configs/')
    .addHelpText('after', examples(['spred list']))
    .action(async () => {
      const { listCommand } = await import('./commands/list');
      await listCommand();
    });

  program
    .command('check')
    .description('compare a run against the accepted reference numbers; exit 1 on a regression')
    .argument('<run-dir>', 'a run directory written by `spred run`')
    .option('--reference <dir>', 'folder of reference files (default: the package\'s reference/)')
    .addHelpText(
      'after',
      examples([
        'spred check results/lasso/lasso-smoke-20261123T190000Z',
        'spred check "$(ls -d results/lasso/lasso-smoke-* | tail -1)" --reference ./reference',
      ]),
    )
    .action(async (runDir: string, opts: { reference?: string }) => {
      const { checkCommand } = await import('./commands/check');
      await checkCommand(runDir, opts);
    });

  const data = program
    .command('data')
    .description('find and download the data sets the experiments use')
    .addHelpText('after', examples(['spred data list', 'spred data fetch fashion-mnist', 'spred data fetch mnist --dir ./data/downloads/mnist']));
  data
    .command('list')
    .description('list the known data sets and where each was found (or how to get it)')
    .addHelpText('after', examples(['spred data list']))
    .action(async () => {
      const { dataListCommand } = await import('./commands/data');
      await dataListCommand();
    });
  data
    .command('fetch')
    .description(
      'download data sets into data/downloads/<name>/, or GEO DataSets (GDSnnnn) as data/geo/GDSnnnn_full.soft.gz from NCBI GEO (needs internet), verifying every file',
    )
    .argument('<names...>', 'data set names (see `spred data list`) and/or GEO DataSet ids such as GDS1815')
    .option('--dir <dir>', 'folder to write the files into (default data/downloads/<name>, data/geo for GDS ids)')
    .option('--base-url <url>', "download from this mirror instead of the registry's (for GDS ids: instead of https://ftp.ncbi.nlm.nih.gov/geo/datasets/)")
    .option('--force', 'download again even if valid (complete) files are present')
    .addHelpText(
      'after',
      `${examples(['spred data fetch mnist', 'spred data fetch fashion-mnist --force', 'spred data fetch GDS1815 GDS1816 GDS3268 GDS3952 GDS4761 GDS5027   # Table 2, for configs/gene-selection.yaml'])}
GEO publishes no checksums, so a GDS file counts as complete when it decompresses to the end (gzip's
own CRC-32 and length check) and starts like a SOFT file. A complete file is kept (--force replaces
it); an interrupted download stays as data/geo/.spred-tmp-GDSnnnn_full.soft.gz and the next fetch
continues it with an HTTP Range request, or starts it again when the server cannot continue it.
`,
    )
    .action(async (names: string[], opts: { dir?: string; baseUrl?: string; force?: boolean }) => {
      const { dataFetchCommand } = await import('./commands/data');
      await dataFetchCommand(names, opts);
    });

  return program;
}

export interface RunFlags {
  backend?: string;
  out?: string;
  seed?: number;
  set: string[];
  quiet?: boolean;
  workers?: number;
  shard?: string;
  shardCount?: number;
  resume?: string;
  dryRun?: boolean;
}

export interface PruneFlags extends RunFlags {
  config?: string;
  kappa?: number;
  from?: string;
  thresholds?: number[];
  finetuneEpochs?: number;
}

/** Runs the program; returns the exit code instead of exiting so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are "errors" to commander; they already printed.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (e.code === 'spred.flag') process.stderr.write(`spred: error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SpredError) {
      process.stderr.write(`spred: error: ${e.message}\n`);
      if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`spred: error: ${err?.message ?? String(e)}\n`);
    if (verbose && err?.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
}
