/**
 * A `tf.io` handler for `file://` paths in plain Node (tfjs-node ships one; the pure-JS and wasm
 * backends do not, and `model.save('file://…')` then fails with "Cannot find any save handlers").
 *
 * It writes the standard layout that tfjs-node's `file_system.ts`, `tf.loadLayersModel` and Python's
 * `tensorflowjs` converter read: a directory holding
 *   - `model.json`: `{ modelTopology, format, generatedBy, convertedBy, weightsManifest:
 *     [{ paths: ['weights.bin'], weights: [...specs] }], trainingConfig?, signature?, userDefinedMetadata? }`
 *   - `weights.bin`: every weight's bytes, concatenated in the order of the specs.
 * Both files are written to a temporary name in the same directory and renamed into place, weights
 * first, so a reader never sees a `model.json` whose weights are missing or half written.
 *
 * Loading accepts the path of `model.json` or of its directory, and any number of weight groups and
 * shard files (as the converter writes them), resolved relative to `model.json`.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'fs';
import * as path from 'path';

export const FILE_SCHEME = 'file://';
export const MODEL_JSON_FILENAME = 'model.json';
export const WEIGHTS_BINARY_FILENAME = 'weights.bin';

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/**
 * Bytes the specs' weights take in a weights file, or undefined when that cannot be known from the
 * specs alone (string weights).
 */
export function weightsByteLength(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const dtype = s.quantization ? s.quantization.dtype : s.dtype;
    const bytes = BYTES_PER_ELEMENT[dtype];
    if (bytes === undefined) return undefined;
    total += size * bytes;
  }
  return total;
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

function notFound(what: string, file: string): (e: NodeJS.ErrnoException) => never {
  return (e) => {
    if (e.code === 'ENOENT') throw new Error(`${what} ${file} does not exist: loading failed`);
    throw e;
  };
}

/** model.json (weights in one `weights.bin`) and the joined weight bytes of saved artifacts: the standard layout. */
export function modelJsonOf(artifacts: tf.io.ModelArtifacts): { modelJSON: tf.io.ModelJSON; weightData: ArrayBuffer } {
  const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJSON: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BINARY_FILENAME], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
  return { modelJSON, weightData };
}

/** Reads and writes one model directory (save) or one `model.json` / its directory (load). */
export class FileSystemHandler implements tf.io.IOHandler {
  readonly path: string;

  constructor(dirOrFile: string) {
    this.path = path.resolve(dirOrFile);
  }

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('file:// saving supports JSON model topologies only (layers models), not binary GraphDefs');
    }
    const st = await fs.stat(this.path).catch(() => undefined);
    if (st && !st.isDirectory()) throw new Error(`cannot save to ${this.path}: it exists and is not a directory`);
    await fs.mkdir(this.path, { recursive: true });

    const { modelJSON, weightData } = modelJsonOf(artifacts);

    await writeAtomic(path.join(this.path, WEIGHTS_BINARY_FILENAME), new Uint8Array(weightData));
    await writeAtomic(path.join(this.path, MODEL_JSON_FILENAME), JSON.stringify(modelJSON));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData }) };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const st = await fs.stat(this.path).catch(notFound('path', this.path));
    const jsonPath = st.isDirectory() ? path.join(this.path, MODEL_JSON_FILENAME) : this.path;
    const text = await fs.readFile(jsonPath, 'utf8').catch(notFound('model file', jsonPath));
    let modelJSON: tf.io.ModelJSON;
    try {
      modelJSON = JSON.parse(text) as tf.io.ModelJSON;
    } catch (e) {
      throw new Error(`${jsonPath} is not valid JSON: ${(e as Error).message}`);
    }
    if (modelJSON.modelTopology == null && modelJSON.weightsManifest == null) {
      throw new Error(`${jsonPath} has neither modelTopology nor weightsManifest: not a tfjs model.json`);
    }
    const artifacts: tf.io.ModelArtifacts = {
      modelTopology: modelJSON.modelTopology,
      format: modelJSON.format,
      generatedBy: modelJSON.generatedBy,
      convertedBy: modelJSON.convertedBy,
    };
    if (modelJSON.weightsManifest != null) {
      const dir = path.dirname(jsonPath);
      const buffers: Buffer[] = [];
      const specs: tf.io.WeightsManifestEntry[] = [];
      for (const group of modelJSON.weightsManifest) {
        for (const p of group.paths) {
          const file = path.join(dir, p);
          buffers.push(await fs.readFile(file).catch(notFound('weights file', file)));
        }
        specs.push(...group.weights);
      }
      const data = Buffer.concat(buffers);
      const expected = weightsByteLength(specs);
      if (expected !== undefined && expected !== data.length) {
        throw new Error(`${jsonPath}: the weights manifest describes ${expected} bytes but its weight files hold ${data.length}`);
      }
      artifacts.weightSpecs = specs;
      artifacts.weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    }
    if (modelJSON.trainingConfig != null) artifacts.trainingConfig = modelJSON.trainingConfig;
    if (modelJSON.signature != null) artifacts.signature = modelJSON.signature;
    if (modelJSON.userDefinedMetadata != null) artifacts.userDefinedMetadata = modelJSON.userDefinedMetadata;
    return artifacts;
  }
}

/** A handler for a directory (save) or a `model.json` or its directory (load); `file://` prefix optional. */
export function fileSystem(dirOrFile: string): FileSystemHandler {
  return new FileSystemHandler(dirOrFile.startsWith(FILE_SCHEME) ? dirOrFile.slice(FILE_SCHEME.length) : dirOrFile);
}

/** The router: a handler for a `file://` URL, null for anything else. */
export function fileSystemRouter(url: string | string[]): FileSystemHandler | null {
  if (Array.isArray(url)) return url.length === 1 ? fileSystemRouter(url[0]) : null;
  return url.startsWith(FILE_SCHEME) ? fileSystem(url) : null;
}

/**
 * Registers `file://` save and load routers, each only if no router for `file://` is registered yet
 * (tfjs-node registers its own; two handlers for one URL make tfjs refuse to save). Idempotent.
 * Returns which of the two it registered.
 */
export function registerFileSystemRouter(): { save: boolean; load: boolean } {
  const probe = `${FILE_SCHEME}${path.resolve('.spred-router-probe')}`;
  const save = tf.io.getSaveHandlers(probe).length === 0;
  const load = tf.io.getLoadHandlers(probe).length === 0;
  // tfjs types a router as returning IOHandler, but its registry skips routers that return null.
  const router = fileSystemRouter as (url: string | string[]) => tf.io.IOHandler;
  if (save) tf.io.registerSaveRouter(router);
  if (load) tf.io.registerLoadRouter(router);
  return { save, load };
}
