/**
 * Shards: a deterministic slice of a run's fits, so one sweep can run as n independent jobs (a Slurm
 * job array, a Kubernetes Indexed Job) and be joined by `spred merge`. Shard i of n (0-based) takes
 * the fits whose position in the fit list is i modulo n: grids are ordered by setting, so striding
 * spreads slow and fast settings over the shards.
 */
import { UsageError } from '../errors';

export interface Shard {
  index: number;
  count: number;
}

/** `--shard 2/8` → { index: 2, count: 8 }. */
export function parseShard(spec: string, source = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new UsageError(`${source} ${spec}: expected i/n with 0 ≤ i < n, e.g. 0/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new UsageError(`${source} ${spec}: expected i/n with 0 ≤ i < n, e.g. 0/4`);
  return { index, count };
}

function envInt(env: Record<string, string | undefined>, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`environment ${name}=${v}: expected a non-negative integer`);
  return Number(v);
}

/**
 * The shard of this process: `--shard i/n` if given; else a Slurm array task
 * (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN` of `SLURM_ARRAY_TASK_COUNT`); else a Kubernetes
 * Indexed Job (`JOB_COMPLETION_INDEX`, with the count from `--shard-count`, since Kubernetes does not
 * export it); else none. The environment is read only when `--shard-count` is given or for Slurm,
 * whose variables exist only inside array jobs.
 */
export function resolveShard(
  flags: { shard?: string; shardCount?: number },
  env: Record<string, string | undefined> = process.env,
): Shard | undefined {
  if (flags.shard !== undefined) return parseShard(flags.shard);
  const slurmId = envInt(env, 'SLURM_ARRAY_TASK_ID');
  const slurmCount = envInt(env, 'SLURM_ARRAY_TASK_COUNT');
  if (flags.shardCount !== undefined) {
    const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
    const index = k8s ?? (slurmId !== undefined ? slurmId - (envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0) : undefined);
    if (index === undefined) {
      throw new UsageError('--shard-count: no shard index: set JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or run in a Slurm array, or use --shard i/n');
    }
    return parseShard(`${index}/${flags.shardCount}`, k8s !== undefined ? 'JOB_COMPLETION_INDEX with --shard-count' : 'SLURM_ARRAY_TASK_ID with --shard-count');
  }
  if (slurmId !== undefined && slurmCount !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    return parseShard(`${slurmId - min}/${slurmCount}`, 'SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT');
  }
  return undefined;
}

/** The fit positions (0-based, ascending) that `shard` runs out of `total`. */
export function shardIndices(total: number, shard?: Shard): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  return shard ? all.filter((i) => i % shard.count === shard.index) : all;
}
