import * as os from 'node:os';
import { UsageError } from '../../errors';
import { geneSelectionConfigSchema } from './config';
import { memoryPerWorker, type GeneInputs } from './data';
import { geneSelectionTask } from './task';

// The pre-run memory check counts every worker: each holds its own copy of the data and its own model.

const config = geneSelectionConfigSchema.parse({
  task: 'gene-selection',
  datasets: [
    { name: 'a', source: 'csv', path: 'a.csv', labelColumn: 'y' },
    { name: 'b', source: 'csv', path: 'b.csv', labelColumn: 'y' },
  ],
  models: ['spred-ensemble', 'mlp-wd'],
  mlpHidden: 4096,
  ensembleHidden: [1024, 1024],
});
// Only the sizes matter to the estimate.
const inputs = {
  datasets: [
    { n: 128, d: 12625, classes: ['x', 'y'] },
    { n: 57, d: 22283, classes: ['p', 'q', 'r', 's', 't'] },
  ],
} as unknown as GeneInputs;

test('memoryPerWorker: both data sets once, plus the split copies and the widest first layer (×3) of the largest', () => {
  const m = memoryPerWorker(config, inputs);
  const copies = (128 * 12625 + 57 * 22283) * 4;
  const peakB = 2 * 57 * 22283 * 4 + 22283 * 4096 * 4 * 3;
  expect(m.bytes).toBe(copies + peakB);
  expect(m.fields).toBe('datasets.1 (57 × 22283 genes) and mlpHidden (22283 × 4096)');
});

test('the run refuses when --workers times one worker exceeds the machine, naming the fields and the worker count', () => {
  const bound = geneSelectionTask.bind(config);
  const perWorker = memoryPerWorker(config, inputs).bytes;
  const workers = Math.ceil(os.totalmem() / perWorker) + 1;
  expect(() => bound.checkMemory(inputs, 1)).not.toThrow();
  expect(() => bound.checkMemory(inputs, workers)).toThrow(UsageError);
  expect(() => bound.checkMemory(inputs, workers)).toThrow(new RegExp(`^datasets\\.1 .* × --workers ${workers}: this run would need about`));
});
