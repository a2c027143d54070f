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
