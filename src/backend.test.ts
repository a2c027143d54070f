import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './backend';

describe('selectBackend', () => {
  it("cpu: no tfjs 'looks like you are running TensorFlow.js in Node.js' banner, other warnings untouched", async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const choice = await selectBackend('cpu');
      expect(choice).toMatchObject({ name: 'cpu', tfjsBackend: 'cpu' });
      const x = tf.tensor1d([1, 2, 3]);
      expect(Array.from(await x.square().data())).toEqual([1, 4, 9]);
      x.dispose();
      expect(warn.mock.calls.flat().join('\n')).not.toMatch(/looks like you are running TensorFlow\.js in Node\.js/);
      // tfjs's own warnings still reach the console (PROD mode or IS_TEST would silence them too)
      expect(tf.env().getBool('PROD')).toBe(false);
      expect(tf.env().getBool('IS_TEST')).toBe(false);
    } finally {
      warn.mockRestore();
      await tf.setBackend('wasm');
    }
  });
});

describe('without @tensorflow/tfjs-backend-wasm (an optional peer dependency)', () => {
  const missing = (): never => {
    const e = new Error("Cannot find module '@tensorflow/tfjs-backend-wasm'") as NodeJS.ErrnoException;
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  };

  it('--backend wasm is bad input (exit 2) saying how to install it; auto falls back to cpu saying why', async () => {
    jest.resetModules();
    jest.doMock('@tensorflow/tfjs-backend-wasm', missing);
    // a fresh module registry loads tfjs a second time in this process, which warns about every kernel
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { selectBackend: select } = await import('./backend');
      const err = await select('wasm').catch((e: unknown) => e);
      expect(err).toMatchObject({ exitCode: 2 });
      expect((err as Error).message).toBe(
        '--backend wasm: cannot load it: @tensorflow/tfjs-backend-wasm is not installed (npm install @tensorflow/tfjs-backend-wasm@<your tfjs version>)',
      );
      const auto = await select('auto');
      expect(auto.name).toBe('cpu');
      expect(auto.fallbackReason).toMatch(/wasm failed \(@tensorflow\/tfjs-backend-wasm is not installed/);
    } finally {
      warn.mockRestore();
      jest.dontMock('@tensorflow/tfjs-backend-wasm');
    }
  });
});
