// Every test file runs on the wasm backend, the one this project uses on machines without a GPU.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

beforeAll(async () => {
  if (tf.getBackend() !== 'wasm') {
    await tf.setBackend('wasm');
    await tf.ready();
  }
});
