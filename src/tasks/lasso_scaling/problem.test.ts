import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Design, matrix } from '../../numeric/matrix';
import { syntheticProblem } from '../../data/synthetic_lasso';
import { encodeNpy, writeProblemNpy } from '../../data/npy';
import { DataError } from '../../errors';
import { lassoScalingConfigSchema } from './config';
import { loadNpyProblem, makeSyntheticProblem, problemSizes } from './problem';

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-scaling-npy-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const synthetic = lassoScalingConfigSchema.parse({ task: 'lasso-scaling', problem: { source: 'synthetic', samples: 40, features: [120], outputs: [3] } }).problem;

test('the config grid is every (d, m) of a synthetic problem, and none for .npy files', () => {
  const cfg = lassoScalingConfigSchema.parse({ task: 'lasso-scaling' });
  expect(problemSizes(cfg.problem)).toEqual([
    { d: 1000, m: 1 }, { d: 1000, m: 16 }, { d: 10000, m: 1 }, { d: 10000, m: 16 }, { d: 100000, m: 1 }, { d: 100000, m: 16 },
  ]);
  expect(problemSizes({ source: 'npy', x: 'x.npy', y: 'y.npy' })).toBeNull();
});

test('a problem saved to .npy (float64) and loaded back equals the generated one exactly', () => {
  if (synthetic.source !== 'synthetic') throw new Error('unreachable');
  const generated = makeSyntheticProblem(synthetic, 120, 3, 7);
  const raw = syntheticProblem({ n: 40, d: 120, m: 3, k: 10, noise: 0.1, seed: 7 });
  const xPath = path.join(tmp, 'X.npy');
  const yPath = path.join(tmp, 'Y.npy');
  writeProblemNpy(xPath, yPath, raw.X, raw.Y);
  const loaded = loadNpyProblem(xPath, yPath);
  expect(loaded.X.n).toBe(40);
  expect(loaded.X.d).toBe(120);
  expect(loaded.X.columns).toEqual(generated.X.columns);
  expect(loaded.Y).toEqual(generated.Y);
  expect(loaded.lambdaMax).toBe(generated.lambdaMax);
  expect(loaded.lambdaMax).toBe(raw.lambdaMax);
});

test('float32 files load as the float32-rounded problem; a 1-D Y is one output', () => {
  const raw = syntheticProblem({ n: 30, d: 50, m: 1, seed: 1 });
  const xPath = path.join(tmp, 'X32.npy');
  const yPath = path.join(tmp, 'y32.npy');
  fs.writeFileSync(xPath, encodeNpy(raw.X.data, [30, 50], { dtype: '<f4' }));
  fs.writeFileSync(yPath, encodeNpy(raw.Y.data, [30], { dtype: '<f4' }));
  const loaded = loadNpyProblem(xPath, yPath);
  expect(loaded.Y.cols).toBe(1);
  expect(loaded.X.columns).toEqual(Design.fromMatrix(matrix(30, 50, Float64Array.from(Float32Array.from(raw.X.data)))).columns);
  expect(loaded.label).toContain('<f4');
});

test.each([
  ['a missing file', () => [path.join(tmp, 'nope.npy'), path.join(tmp, 'nope.npy')], /nope\.npy: cannot read/],
  [
    'an int64 file',
    () => {
      const f = path.join(tmp, 'int.npy');
      const bytes = encodeNpy([1, 2, 3, 4], [2, 2]);
      const text = Buffer.from(bytes).toString('latin1').replace("'<f8'", "'<i8'");
      fs.writeFileSync(f, Buffer.from(text, 'latin1'));
      return [f, f];
    },
    /int\.npy: .*<i8/,
  ],
  [
    'a Fortran-order file',
    () => {
      const f = path.join(tmp, 'fortran.npy');
      const text = Buffer.from(encodeNpy([1, 2, 3, 4], [2, 2])).toString('latin1').replace("'fortran_order': False", "'fortran_order': True ");
      fs.writeFileSync(f, Buffer.from(text, 'latin1'));
      return [f, f];
    },
    /fortran\.npy: .*[Ff]ortran/,
  ],
  [
    'X and Y with different N',
    () => {
      const x = path.join(tmp, 'x5.npy');
      const y = path.join(tmp, 'y4.npy');
      fs.writeFileSync(x, encodeNpy(new Float64Array(10), [5, 2]));
      fs.writeFileSync(y, encodeNpy(new Float64Array(4), [4]));
      return [x, y];
    },
    /disagree on the number of samples/,
  ],
])('%s is a one-line error with exit code 2', (_name, files, message) => {
  const [x, y] = (files as () => string[])();
  let error: unknown;
  try {
    loadNpyProblem(x, y);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  const e = error as DataError;
  expect(e.exitCode).toBe(2);
  expect(e.message).toMatch(message);
  expect(e.message).not.toContain('\n');
});
