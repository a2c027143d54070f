import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileSystem, FileSystemHandler, registerFileSystemRouter, weightsByteLength } from './file_io';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'spred-file-io-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function smallModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }));
  model.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }), biasInitializer: 'ones' }));
  return model;
}

const input = () => tf.tensor2d([0.1, -0.2, 0.3, 1, 2, -3], [2, 3]);

async function maxAbsDiff(a: tf.LayersModel, b: tf.LayersModel): Promise<number> {
  return tf.tidy(() => {
    const x = input();
    return tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0];
  });
}

describe('file:// IO handler', () => {
  it('registers file:// routers once: without them tfjs cannot save to file://', async () => {
    const model = smallModel();
    await expect(model.save(`file://${tmp}/before`)).rejects.toThrow(/Cannot find any save handlers/);
    model.dispose();
    const first = registerFileSystemRouter();
    // In this process nothing else registers file:// (tfjs-node is not loaded under jest).
    expect(first).toEqual({ save: true, load: true });
    expect(registerFileSystemRouter()).toEqual({ save: false, load: false });
    expect(tf.io.getSaveHandlers(`file://${tmp}/x`)).toHaveLength(1);
    expect(tf.io.getLoadHandlers(`file://${tmp}/x/model.json`)).toHaveLength(1);
    expect(tf.io.getSaveHandlers('http://example.com/x').some((h) => h instanceof FileSystemHandler)).toBe(false);
  });

  it('saves the standard layout (model.json + weights.bin) and loads identical predictions', async () => {
    registerFileSystemRouter();
    const model = smallModel();
    const dir = path.join(tmp, 'plain');
    const result = await model.save(`file://${dir}`);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((3 * 4 + 4 + 4 * 2 + 2) * 4);

    const files = (await fs.readdir(dir)).sort();
    expect(files).toEqual(['model.json', 'weights.bin']); // no temporary files left behind
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(Object.keys(json).sort()).toEqual(['convertedBy', 'format', 'generatedBy', 'modelTopology', 'weightsManifest']);
    expect(json.format).toBe('layers-model');
    expect(json.convertedBy).toBeNull();
    expect(json.generatedBy).toMatch(/^TensorFlow\.js tfjs-layers v4\.22\.0$/);
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const specs = json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
    expect(specs.map((s) => s.shape)).toEqual([[3, 4], [4], [4, 2], [2]]);
    const bin = await fs.readFile(path.join(dir, 'weights.bin'));
    expect(bin.length).toBe(weightsByteLength(specs));
    expect(bin.length).toBe(26 * 4);
    // The first float of weights.bin is the first kernel entry.
    const k0 = model.layers[0].getWeights()[0].dataSync()[0];
    expect(bin.readFloatLE(0)).toBe(k0);

    const fromFile = await tf.loadLayersModel(`file://${dir}/model.json`);
    const fromDir = await tf.loadLayersModel(fileSystem(dir));
    expect(await maxAbsDiff(model, fromFile)).toBe(0);
    expect(await maxAbsDiff(model, fromDir)).toBe(0);
    [model, fromFile, fromDir].forEach((m) => m.dispose());
  });

  it('with includeOptimizer writes trainingConfig and the optimizer weights, and restores the optimizer', async () => {
    registerFileSystemRouter();
    const model = smallModel();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = input();
    const y = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    const dir = path.join(tmp, 'with-optimizer');
    await model.save(`file://${dir}`, { includeOptimizer: true });
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.trainingConfig.loss).toBe('mean_squared_error'); // Keras' name, as tfjs writes it
    const specs = json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
    expect(specs.length).toBeGreaterThan(4);
    expect((await fs.stat(path.join(dir, 'weights.bin'))).size).toBe(weightsByteLength(specs));
    const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
    expect(loaded.optimizer).toBeTruthy();
    expect(await maxAbsDiff(model, loaded)).toBe(0);
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });

  it('loads weights split over several groups and shards, as the converter writes them', async () => {
    const model = smallModel();
    const dir = path.join(tmp, 'sharded');
    await model.save(fileSystem(dir));
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    const bin = await fs.readFile(path.join(dir, 'weights.bin'));
    const specs = json.weightsManifest[0].weights;
    // group 1: first kernel in two shards; group 2: the rest.
    await fs.writeFile(path.join(dir, 'group1-shard1of2.bin'), bin.subarray(0, 20));
    await fs.writeFile(path.join(dir, 'group1-shard2of2.bin'), bin.subarray(20, 48));
    await fs.writeFile(path.join(dir, 'group2-shard1of1.bin'), bin.subarray(48));
    json.weightsManifest = [
      { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs.slice(0, 1) },
      { paths: ['group2-shard1of1.bin'], weights: specs.slice(1) },
    ];
    await fs.writeFile(path.join(dir, 'sharded.json'), JSON.stringify(json));
    const loaded = await tf.loadLayersModel(fileSystem(path.join(dir, 'sharded.json')));
    expect(await maxAbsDiff(model, loaded)).toBe(0);
    model.dispose();
    loaded.dispose();
  });

  it('fails with clear messages: missing path, missing or short weights, saving onto a file', async () => {
    await expect(fileSystem(path.join(tmp, 'nope')).load()).rejects.toThrow(/path .*nope does not exist/);
    const model = smallModel();
    const dir = path.join(tmp, 'broken');
    await model.save(fileSystem(dir));
    await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.alloc(12));
    await expect(fileSystem(dir).load()).rejects.toThrow(/describes 104 bytes but its weight files hold 12/);
    await fs.rm(path.join(dir, 'weights.bin'));
    await expect(fileSystem(dir).load()).rejects.toThrow(/weights file .*weights\.bin does not exist/);
    const file = path.join(tmp, 'a-file');
    await fs.writeFile(file, 'x');
    await expect(model.save(fileSystem(file))).rejects.toThrow(/exists and is not a directory/);
    model.dispose();
  });
});
