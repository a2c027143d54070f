import * as tf from '@tensorflow/tfjs';
import { DataError } from '../../errors';
import type { RngState } from '../../numeric/prng';
import { MODEL_JSON_FILENAME, WEIGHTS_BINARY_FILENAME } from '../../io/file_io';
import { saveModel, setWeightsChecked } from './saved_models';
import type { EpochReport } from './train';

/** Where a phase's checkpoint files go: the run directory through the fit context (atomic writes). */
export interface CheckpointFiles {
  read(name: string): Uint8Array | undefined;
  write(name: string, data: Uint8Array): void;
  /** Deletes a file written with `write` (no error if there is none). */
  remove(name: string): void;
}

/** Where a phase stands after a completed epoch. */
export interface PhaseState {
  /** Epochs completed (1-based count). */
  epoch: number;
  /** Optimizer steps taken (the schedule's position). */
  step: number;
  /** The example order's and augmentation's generator, to draw what the uninterrupted phase would have. */
  rng: RngState;
  /** The completed epochs' reports, so the phase's epochs.csv rows survive a resume. */
  reports: EpochReport[];
}

/** What tf.Optimizer.getWeights returns and setWeights takes (tfjs-core's NamedTensor, not re-exported by tfjs). */
type NamedTensor = { name: string; tensor: tf.Tensor };

/** Where the checkpoints of a variant's fit go, relative to the run directory. */
export function checkpointDir(variant: string): string {
  return `checkpoints/${variant}`;
}

const STATE_FILE = 'checkpoint.json';
const OPTIMIZER_FILE = 'optimizer.bin';
/** What `save` writes into a slot. */
const SLOT_FILES = [MODEL_JSON_FILENAME, WEIGHTS_BINARY_FILENAME, OPTIMIZER_FILE];
const FORMAT = 'spred-phase-checkpoint/1';

interface StateFile extends PhaseState {
  format: typeof FORMAT;
  /** The phase's name and length, checked on restore. */
  phase: string;
  epochs: number;
  slot: number;
  optimizerSpecs: tf.io.WeightsManifestEntry[];
}

/**
 * Per-epoch checkpoints of one training phase under `dir` (relative to the run directory):
 *
 * - `slot-0/`, `slot-1/`: `model.json` + `weights.bin` in the tfjs layers format (every weight of the
 *   network, batch-norm moving statistics included; `tf.loadLayersModel` reads it), and `optimizer.bin`
 *   (the optimizer's slots — SGD momentum or Adam's moments — and its step count, `tf.io.encodeWeights`);
 * - `checkpoint.json`: the epoch, step, the data-order generator's state, the epoch reports, and which slot
 *   holds the rest; written last.
 *
 * Epochs alternate between the slots and every file is written atomically, so a Ctrl-C or a kill during
 * a save leaves `checkpoint.json` naming the previous, complete slot. Once the phase's last epoch is saved,
 * the other slot is deleted: a finished phase is only ever restored from its last epoch.
 */
export class PhaseCheckpoints {
  /** The slot of the last checkpoint saved or restored here (a fit on a worker cannot read back its own fresh writes). */
  private lastSlot: number | undefined;

  constructor(
    private readonly files: CheckpointFiles,
    private readonly dir: string,
    /** Identifies the phase within its fit (e.g. `train`); a checkpoint of another phase is not restored. */
    readonly phase: string,
    private readonly epochs: number,
  ) {}

  private state(): StateFile | undefined {
    const name = `${this.dir}/${STATE_FILE}`;
    const bytes = this.files.read(name);
    if (bytes === undefined) return undefined;
    let s: StateFile;
    try {
      s = JSON.parse(new TextDecoder().decode(bytes)) as StateFile;
    } catch {
      throw new DataError(`${name}: not JSON (a checkpoint written by another program?)`);
    }
    if (s.format !== FORMAT) throw new DataError(`${name}: format ${JSON.stringify(s.format)}, expected ${FORMAT}`);
    return s;
  }

  private need(name: string): Uint8Array {
    const bytes = this.files.read(name);
    if (bytes === undefined) throw new DataError(`${name}: missing, though ${this.dir}/${STATE_FILE} names it`);
    return bytes;
  }

  /** Saves the state after a completed epoch. */
  async save(model: tf.LayersModel, optimizer: tf.Optimizer, state: PhaseState): Promise<void> {
    const slot = (this.lastSlot ?? this.state()?.slot ?? 1) === 0 ? 1 : 0;
    const slotDir = `${this.dir}/slot-${slot}`;
    await saveModel(model, slotDir, (name, data) => {
      this.files.write(name, data);
      return name;
    });
    const named = await optimizer.getWeights();
    // getWeights makes a new scalar for the step count; the other entries are the optimizer's own variables.
    const { data, specs } = await tf.io.encodeWeights(named).finally(() => tf.dispose(named.filter((w) => w.name === 'iter').map((w) => w.tensor)));
    this.files.write(`${slotDir}/${OPTIMIZER_FILE}`, new Uint8Array(data));
    const file: StateFile = { format: FORMAT, phase: this.phase, epochs: this.epochs, slot, optimizerSpecs: specs, ...state };
    this.files.write(`${this.dir}/${STATE_FILE}`, new TextEncoder().encode(JSON.stringify(file)));
    this.lastSlot = slot;
    if (state.epoch === this.epochs) {
      const unused = `${this.dir}/slot-${1 - slot}`;
      for (const name of SLOT_FILES) this.files.remove(`${unused}/${name}`);
    }
  }

  /**
   * Puts the latest checkpoint's weights into `model` and its slots into `optimizer` (same network and
   * optimizer kind) and returns where the phase stood; undefined when there is no checkpoint of this
   * phase. A checkpoint of another phase or length is ignored (`onIgnored` says why).
   */
  async restore(model: tf.LayersModel, optimizer: tf.Optimizer, onIgnored?: (why: string) => void): Promise<PhaseState | undefined> {
    const s = this.state();
    if (s === undefined) return undefined;
    if (s.phase !== this.phase || s.epochs !== this.epochs) {
      onIgnored?.(`${this.dir}: a checkpoint of phase "${s.phase}" (${s.epochs} epochs), not of "${this.phase}" (${this.epochs}): starting the phase afresh`);
      return undefined;
    }
    const slotDir = `${this.dir}/slot-${s.slot}`;
    const modelJson = JSON.parse(new TextDecoder().decode(this.need(`${slotDir}/${MODEL_JSON_FILENAME}`))) as tf.io.ModelJSON;
    const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
    setWeightsInOrder(model, decode(this.need(`${slotDir}/${WEIGHTS_BINARY_FILENAME}`), specs), `${slotDir}/${WEIGHTS_BINARY_FILENAME}`);
    const slots = decode(this.need(`${slotDir}/${OPTIMIZER_FILE}`), s.optimizerSpecs);
    try {
      await optimizer.setWeights(slots);
    } finally {
      tf.dispose(slots.map((w) => w.tensor));
    }
    this.lastSlot = s.slot;
    return { epoch: s.epoch, step: s.step, rng: s.rng, reports: s.reports };
  }
}

/** Tensors of a weights file, in the order of its specs. */
function decode(bytes: Uint8Array, specs: tf.io.WeightsManifestEntry[]): NamedTensor[] {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const map = tf.io.decodeWeights(buffer, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}

/** `model.setWeights` from saved tensors in the model's weight order (names differ between processes); disposes them. */
function setWeightsInOrder(model: tf.LayersModel, saved: NamedTensor[], file: string): void {
  try {
    setWeightsChecked(model, saved.map((w) => w.tensor), file);
  } finally {
    tf.dispose(saved.map((w) => w.tensor));
  }
}
