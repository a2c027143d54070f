/**
 * Wall time of a whole sweep on 1 and on N worker threads (issue 9: the target is ≥ 1.8× on 2 cores
 * for the mlp-node-sparsity smoke sweep). Not a test; prints figures. Build, then run:
 *
 *   npm run bench:sweep
 *   node dist/bench/sweep.js [--config configs/mlp-node-sparsity-smoke.yaml] [--workers 1,2] [--repeats 1]
 *
 * Each run is the real CLI (`spred run <config> --workers n --quiet`) in a child process, timed from
 * spawn to exit (tfjs start-up and the per-worker data upload included). It also checks that every
 * run wrote the same rows as the first (timing columns aside), so a speed-up never hides a difference.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from '../numeric/statistics';
import { packageRoot } from '../paths';
import { readCsv } from '../results/csv';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const TIMING = /seconds|per_second|num_tensors/;

/** Every CSV of a run directory, timing columns removed. */
function rowsOf(dir: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    out[f] = (readCsv(path.join(dir, f)) as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING.test(k))));
  }
  return out;
}

function main(): void {
  const root = packageRoot();
  const config = path.resolve(flag('config', path.join(root, 'configs/mlp-node-sparsity-smoke.yaml')));
  const counts = flag('workers', `1,${os.availableParallelism()}`).split(',').map(Number);
  const repeats = Number(flag('repeats', '1'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-bench-sweep-'));
  console.log(`sweep bench: ${path.relative(process.cwd(), config)}, workers ${counts.join(', ')}, ${repeats} repeat(s), ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'})`);
  const wall = new Map<number, number[]>();
  let reference: string | undefined;
  try {
    for (let r = 0; r < repeats; r++) {
      for (const n of counts) {
        const t0 = performance.now();
        const run = spawnSync(process.execPath, [path.join(root, 'bin/spred'), 'run', config, '--workers', String(n), '--out', tmp, '--quiet'], { encoding: 'utf8' });
        const seconds = (performance.now() - t0) / 1000;
        if (run.status !== 0) throw new Error(`workers ${n}: exit ${run.status}: ${run.stderr}`);
        const dir = run.stdout.trim();
        const same = reference === undefined || JSON.stringify(rowsOf(dir)) === JSON.stringify(rowsOf(reference));
        reference ??= dir;
        wall.set(n, [...(wall.get(n) ?? []), seconds]);
        console.log(`  workers ${n}: ${seconds.toFixed(1)} s${same ? '' : '  ROWS DIFFER from the first run'}`);
        if (!same) process.exitCode = 1;
      }
    }
    const base = median(wall.get(counts[0]) ?? []);
    for (const n of counts) {
      const t = median(wall.get(n) ?? []);
      console.log(`workers ${String(n).padStart(2)}: median ${t.toFixed(1)} s, speed-up ${(base / t).toFixed(2)}× over ${counts[0]}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
