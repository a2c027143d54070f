import { z } from 'zod';
import { BACKEND_NAMES } from '../backend';

/**
 * Fields every experiment config shares. Task schemas spread these into their own strict object so
 * that unknown keys anywhere are errors.
 */
export const commonFields = {
  /** Free text: what the config reproduces and where its numbers come from in the paper. */
  description: z.string().optional(),
  /** Which runner handles the config; the discriminator of the config union. */
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-" only').optional(),
  /** Seeds data generation, splits and initialisation. */
  seed: z.number().int().nonnegative().default(0),
  /** TensorFlow.js backend: `auto` tries tensorflow (tfjs-node-gpu), then wasm, then cpu. */
  backend: z.enum(BACKEND_NAMES).default('auto'),
  /** Root directory of run outputs; a run writes `<output>/<task>/<name>-<UTC time>/`. */
  output: z.string().min(1).default('results'),
};

export const positive = () => z.number().positive();
export const positiveInt = () => z.number().int().positive();
