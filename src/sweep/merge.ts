/**
 * `spred merge`: joins the run directories of a sweep's shards into one run directory that equals the
 * unsharded run — the same journal (fits in fit order), the same rows in the same order, and the
 * summaries and plots made from the merged rows by the task's own `write`.
 *
 * It refuses, with one line naming the field, shards of different configs (any field but `output`)
 * or code (package version, git commit, tfjs version, backend), of different shard counts, a missing or
 * repeated shard, and shards that did not complete (resume those first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { revalidateConfig, type ResolvedConfigBase } from '../config/resolve';
import { UsageError } from '../errors';
import { configDifferences, describeValue } from '../report/config_diff';
import { MANIFEST_FILE, readManifest, type Manifest } from '../results/manifest';
import { CONFIG_FILE, LOG_FILE, withRun } from '../results/run';
import { findTask, TASK_SCHEMAS } from '../tasks/registry';
import type { ErasedOutcome } from '../tasks/task';
import { writeOutputs } from './executor';
import { appendOutcome, JOURNAL_FILE, readJournal } from './journal';
import { shardIndices } from './shard';

interface ShardRun {
  dir: string;
  config: ResolvedConfigBase;
  manifest: Manifest;
  shard: { index: number; count: number };
}

function readShard(dir: string): ShardRun {
  const configFile = path.join(dir, CONFIG_FILE);
  if (!fs.existsSync(configFile)) throw new UsageError(`${dir}: not a run directory (no ${CONFIG_FILE})`);
  let manifest: Manifest | null;
  let raw: unknown;
  try {
    manifest = readManifest(dir);
    raw = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (e) {
    throw new UsageError(`${dir}: unreadable run record (${(e as Error).message})`);
  }
  if (!manifest) throw new UsageError(`${dir}: not a run directory (no ${MANIFEST_FILE})`);
  const shard = manifest.sweep?.shard;
  if (!shard) throw new UsageError(`${dir}: not a shard (it ran every fit; nothing to merge)`);
  if (manifest.status !== 'completed') {
    throw new UsageError(`${dir}: shard ${shard.index}/${shard.count} is ${manifest.status}; complete it first with \`spred run --resume ${dir}\``);
  }
  return { dir, config: revalidateConfig(configFile, raw, TASK_SCHEMAS), manifest, shard };
}

/** The code identity of a run, field by field, as merge compares it. */
function codeOf(m: Manifest): Record<string, unknown> {
  return { 'package.version': m.package.version, 'git.commit': m.git.commit, tfjs: m.tfjs, 'backend.name': m.backend?.name ?? null };
}

function checkAlike(runs: readonly ShardRun[]): void {
  const [first, ...rest] = runs;
  for (const r of rest) {
    const diff = configDifferences(first.config, r.config, ['output']);
    if (diff.length > 0) {
      const d = diff[0];
      throw new UsageError(
        `${r.dir}: config field ${d.path} differs from ${first.dir} (${describeValue(d.b)} vs ${describeValue(d.a)}); shards of different configs do not merge`,
      );
    }
    const a = codeOf(first.manifest);
    const b = codeOf(r.manifest);
    for (const field of Object.keys(a)) {
      if (a[field] !== b[field]) {
        throw new UsageError(
          `${r.dir}: manifest ${field} differs from ${first.dir} (${describeValue(b[field])} vs ${describeValue(a[field])}); shards of different code do not merge`,
        );
      }
    }
    if (r.shard.count !== first.shard.count) {
      throw new UsageError(`${r.dir}: shard ${r.shard.index}/${r.shard.count} is of another split than ${first.dir} (${first.shard.index}/${first.shard.count})`);
    }
  }
  const count = first.shard.count;
  const seen = new Map<number, string>();
  for (const r of runs) {
    const other = seen.get(r.shard.index);
    if (other) throw new UsageError(`shard ${r.shard.index}/${count} given twice: ${other} and ${r.dir}`);
    seen.set(r.shard.index, r.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new UsageError(`missing shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')}`);
}

/** Files a fit wrote (e.g. `problems/*.npy`), as opposed to the run's own records. */
function fitFiles(run: ShardRun): string[] {
  const own = new Set([CONFIG_FILE, MANIFEST_FILE, LOG_FILE, JOURNAL_FILE]);
  return run.manifest.files.filter((f) => !own.has(f) && fs.existsSync(path.join(run.dir, f)));
}

export interface MergeOptions {
  out?: string;
  quiet?: boolean;
}

export async function mergeShards(dirs: readonly string[], opts: MergeOptions = {}): Promise<string> {
  if (dirs.length === 0) throw new UsageError('spred merge: give the run directories of every shard');
  const runs = dirs.map((d) => readShard(path.resolve(d)));
  checkAlike(runs);
  const config = { ...runs[0].config, ...(opts.out !== undefined ? { output: opts.out } : {}) };
  const bound = findTask(config.task)!.bind(config);
  const total = bound.fitKeys.length;
  const outcomes = new Map<number, ErasedOutcome>();
  for (const r of runs) {
    const mine = new Set(shardIndices(total, r.shard));
    for (const o of readJournal(r.dir)) {
      if (!mine.has(o.index) || bound.fitKeys[o.index] !== o.key) {
        throw new UsageError(`${r.dir}: its journal holds fit ${o.key} (#${o.index}), which is not in shard ${r.shard.index}/${r.shard.count} of this config`);
      }
      outcomes.set(o.index, o);
    }
  }
  const missing = bound.fitKeys.filter((_, i) => !outcomes.get(i)?.ok);
  if (missing.length > 0) {
    throw new UsageError(`the shards hold no result for ${missing.length} fit${missing.length === 1 ? '' : 's'} (first: ${missing[0]}); resume the shard that ran it`);
  }
  const ordered = bound.fitKeys.map((_, i) => outcomes.get(i)!);
  const first = runs[0].manifest;
  return withRun(
    {
      root: config.output,
      task: config.task,
      name: config.name,
      config,
      seed: config.seed,
      backend: first.backend,
      quiet: Boolean(opts.quiet),
      sweep: { fits: total, shard: null, workers: 0 },
      mergedFrom: runs.map((r) => r.dir),
    },
    async (ctx) => {
      ctx.log(`merging ${runs.length} shards of ${total} fits`);
      for (const o of ordered) appendOutcome(ctx.dir, o);
      for (const r of runs) for (const f of fitFiles(r)) ctx.writeBytes(f, fs.readFileSync(path.join(r.dir, f)));
      await writeOutputs(bound, ordered, ctx);
    },
  );
}
