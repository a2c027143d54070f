/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // tfjs-wasm and the end-to-end CLI tests are CPU-bound: one worker per core.
  setupFilesAfterEnv: ['<rootDir>/test/setup-backend.ts'],
  maxWorkers: 2,
  testTimeout: 120000,
};
