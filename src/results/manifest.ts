/**
 * `manifest.json`: what ran, on what, from which code, when, and how it ended. Written when the run
 * starts (`status: "running"`), rewritten (atomically) whenever a result file is added, and at the
 * end with the final status — so even a run killed with SIGKILL leaves a manifest that says
 * `running` and lists the files that are complete.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendChoice } from '../backend';
import type { GpuAdapterSummary } from '../backends/webgpu';
import { packageRoot } from '../paths';
import { writeFileAtomic } from './atomic';

export const MANIFEST_FILE = 'manifest.json';

export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface Manifest {
  /** Layout version of this file; bumped when a field changes meaning. */
  manifestVersion: 1;
  task: string;
  name: string;
  status: RunStatus;
  /** The error message when `status` is `failed` (or the interrupt message); else null. */
  error: string | null;
  /** This program: `name` and `version` from its package.json. */
  package: { name: string; version: string };
  /** The TensorFlow.js backend that ran, as chosen by `selectBackend`; null if the run used none. */
  backend: {
    name: string;
    package: string;
    tfjsBackend: string;
    requested: string;
    fallbackReason: string | null;
    /** `webgpu`: the adapter (vendor, architecture, description) and its buffer limits. */
    adapter?: GpuAdapterSummary | null;
  } | null;
  /** `tf.version.tfjs`. */
  tfjs: string;
  /** `process.version`, e.g. `v20.19.0`. */
  node: string;
  /** `process.platform`-`process.arch`, e.g. `linux-x64`. */
  platform: string;
  seed: number | null;
  /**
   * `git rev-parse HEAD` of the spred checkout that ran, and whether tracked files had local changes.
   * Both null when the package is not its own git checkout (installed from npm, or git missing).
   */
  git: { commit: string | null; dirty: boolean | null };
  /** The command line, `process.argv` by default. */
  argv: string[];
  /** ISO 8601 UTC. */
  startedAt: string;
  endedAt: string | null;
  wallSeconds: number | null;
  /** Files written into the run directory, relative to it, in the order first written. */
  files: string[];
  /** How the run's fits were run (src/sweep/): how many, which shard, on how many workers. */
  sweep?: SweepInfo;
  /** Start times of earlier sessions of this run directory (`spred run --resume`), oldest first. */
  resumedFrom?: string[];
  /** The shard run directories this run was merged from (`spred merge`). */
  mergedFrom?: string[];
}

export interface SweepInfo {
  /** Fits in the whole config. */
  fits: number;
  /** This run's slice, or null for all fits. */
  shard: { index: number; count: number } | null;
  /** Worker threads (1: in-process; 0: a merged run, whose shards say). */
  workers: number;
}

export interface PackageInfo {
  name: string;
  version: string;
}

let packageInfoCache: PackageInfo | undefined;

/** `name` and `version` of the project's package.json (found from this file, so dist/ and ts-jest both work). */
export function packageInfo(): PackageInfo {
  if (!packageInfoCache) {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as Partial<PackageInfo>;
    packageInfoCache = { name: String(pkg.name ?? 'unknown'), version: String(pkg.version ?? '0.0.0') };
  }
  return packageInfoCache;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 10_000,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
}

const gitCache = new Map<string, Manifest['git']>();

/**
 * The git commit of `root` when `root` is the top of a git work tree; `{ commit: null, dirty: null }`
 * otherwise (not a checkout, spred installed inside another project's repository, git not
 * installed, or git refusing the directory). Never throws.
 */
export function gitInfo(root: string = packageRoot()): Manifest['git'] {
  const cached = gitCache.get(root);
  if (cached) return cached;
  let info: Manifest['git'] = { commit: null, dirty: null };
  try {
    const [top, commit] = git(root, ['rev-parse', '--show-toplevel', 'HEAD']).trim().split('\n');
    if (top && commit && /^[0-9a-f]{40,64}$/.test(commit) && fs.realpathSync(top) === fs.realpathSync(root)) {
      let dirty: boolean | null = null;
      try {
        dirty = git(root, ['status', '--porcelain', '--untracked-files=no']).trim() !== '';
      } catch {
        dirty = null;
      }
      info = { commit, dirty };
    }
  } catch {
    // not a checkout, no commits yet, or no git: recorded as null
  }
  gitCache.set(root, info);
  return info;
}

/** The `tf.version.tfjs` string; tfjs is required here, not at module load, so `spred check` stays light. */
function tfjsVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  return tf.version.tfjs;
}

export interface ManifestInit {
  task: string;
  name: string;
  seed?: number | null;
  /** The chosen backend, or a record of one from another manifest (`spred merge`). */
  backend?: BackendChoice | Manifest['backend'];
  /** Default `process.argv`. */
  argv?: readonly string[];
  /** Clock; default `() => new Date()`. Tests pass a fake one. */
  now?: () => Date;
  sweep?: SweepInfo;
  /** The manifest of the earlier session when the run is resumed: its files and start times are kept. */
  previous?: Manifest | null;
  mergedFrom?: string[];
}

/**
 * The manifest of one run directory. `start()` writes it with status `running`; `addFile` records a
 * result file and rewrites it; `finish()` sets the final status, end time and wall seconds.
 * Every write is atomic.
 */
export class RunManifest {
  private readonly now: () => Date;
  private readonly startMs: number;
  private readonly state: Manifest;

  constructor(
    readonly dir: string,
    init: ManifestInit,
  ) {
    this.now = init.now ?? (() => new Date());
    const started = this.now();
    this.startMs = started.getTime();
    const b = init.backend;
    this.state = {
      manifestVersion: 1,
      task: init.task,
      name: init.name,
      status: 'running',
      error: null,
      package: packageInfo(),
      backend:
        b && 'packageName' in b
          ? {
              name: b.name,
              package: b.packageName,
              tfjsBackend: b.tfjsBackend,
              requested: b.requested,
              fallbackReason: b.fallbackReason ?? null,
              adapter: b.adapter ?? null,
            }
          : (b ?? null),
      tfjs: tfjsVersion(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      seed: init.seed ?? null,
      git: gitInfo(),
      argv: [...(init.argv ?? process.argv)],
      startedAt: started.toISOString(),
      endedAt: null,
      wallSeconds: null,
      files: [...(init.previous?.files ?? [])],
      ...(init.sweep ? { sweep: init.sweep } : {}),
      ...(init.previous ? { resumedFrom: [...(init.previous.resumedFrom ?? []), init.previous.startedAt] } : {}),
      ...(init.mergedFrom ? { mergedFrom: init.mergedFrom } : {}),
    };
  }

  /** A copy of the current manifest. */
  get data(): Manifest {
    return structuredClone(this.state);
  }

  get path(): string {
    return path.join(this.dir, MANIFEST_FILE);
  }

  /** Writes the manifest with status `running`. */
  start(): void {
    this.write();
  }

  /** Records `file` (relative to the run directory) once, and rewrites the manifest. */
  addFile(file: string): void {
    if (!this.state.files.includes(file)) {
      this.state.files.push(file);
      if (this.state.status === 'running') this.write();
    }
  }

  /** Forgets `file` (deleted from the run directory) and rewrites the manifest. */
  removeFile(file: string): void {
    const at = this.state.files.indexOf(file);
    if (at >= 0) {
      this.state.files.splice(at, 1);
      this.write();
    }
  }

  /** Sets the final status (and the error message for `failed`/`interrupted`) and rewrites the manifest. */
  finish(status: Exclude<RunStatus, 'running'>, extra: { error?: string | null } = {}): Manifest {
    const end = this.now();
    this.state.status = status;
    this.state.error = extra.error ?? null;
    this.state.endedAt = end.toISOString();
    this.state.wallSeconds = Math.max(0, (end.getTime() - this.startMs) / 1000);
    this.write();
    return this.data;
  }

  private write(): void {
    writeFileAtomic(this.path, `${JSON.stringify(this.state, null, 2)}\n`);
  }
}

/** Reads `<dir>/manifest.json`; null when there is none. Throws on a file that is not JSON. */
export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}
