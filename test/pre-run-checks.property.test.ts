/**
 * Property (issue 14 item 2): whatever a user does to a shipped smoke config — a wrong type, a
 * negative, zero or huge number, a deleted or unknown key — `spred validate` and `spred run --dry-run`
 * (every check `spred run` makes before its run directory exists) end with exit 0 or 2, and on 2 with
 * exactly one line `spred: error: …`, never a stack trace; and nothing is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { ROOT, spred, tempDir } from './harness';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Dot paths of every value in a config (containers and leaves). */
function paths(v: Json, at: string[] = []): string[][] {
  const here = at.length > 0 ? [at] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => paths(x, [...at, String(i)]))];
  if (v !== null && typeof v === 'object') return [...here, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  return here;
}

type Mutation = { kind: 'set'; at: number; value: Json } | { kind: 'delete'; at: number } | { kind: 'add'; at: number; key: string };

function apply(config: Json, m: Mutation): Json {
  const copy = structuredClone(config) as { [k: string]: Json };
  const all = paths(copy);
  const where = all[m.at % all.length];
  const parent = where.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const key = where[where.length - 1];
  if (m.kind === 'set') parent[key] = m.value;
  else if (m.kind === 'delete') Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
  else {
    const target = parent[key];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[m.key] = 1;
    else copy[m.key] = 1;
  }
  return copy;
}

const value: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(0, -1, -0.5, 1e-300, 1e9, 1e12, 2 ** 31, null, true, '', 'abc', [], {}, [0], [-1, 2], 'NaN', 'relu', 'npy'),
  fc.double({ noNaN: true }),
  fc.integer({ min: -1000, max: 1e7 }),
  fc.string({ maxLength: 8 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.constantFrom('extra', 'kappa', 'lr', '__proto__x') }),
);

let tmp: string;
beforeAll(() => {
  tmp = tempDir('property');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SMOKE = fs.readdirSync(path.join(ROOT, 'configs')).filter((f) => /-smoke\.(json|ya?ml)$/.test(f));

test.each(SMOKE)('%s: mutated configs give exit 0 or 2 with one line, and write nothing', async (file) => {
  const original = YAML.parse(fs.readFileSync(path.join(ROOT, 'configs', file), 'utf8')) as Json;
  const out = path.join(tmp, 'out');
  let n = 0;
  const seen = { 0: 0, 2: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
      const mutated = ms.reduce(apply, original);
      const cfg = path.join(tmp, `m${n++}.json`);
      fs.writeFileSync(cfg, JSON.stringify(mutated));
      for (const argv of [['validate', cfg], ['run', cfg, '--dry-run', '--quiet', '--out', out, '--workers', '1']]) {
        const r = await spred(...argv);
        expect([0, 2]).toContain(r.code);
        seen[r.code as 0 | 2]++;
        if (r.code === 2) {
          const lines = r.stderr.trim().split('\n');
          expect(lines).toHaveLength(1);
          expect(lines[0]).toMatch(/^spred: error: \S/);
          expect(r.stderr).not.toMatch(/\n\s+at /);
        }
        expect(fs.existsSync(out)).toBe(false);
      }
    }),
    { numRuns: 60, seed: 20261201 },
  );
  // The mutations reach both sides: some configs pass every check, most are refused.
  expect(seen[2]).toBeGreaterThan(0);
  expect(seen[0]).toBeGreaterThan(0);
}, 300_000);
