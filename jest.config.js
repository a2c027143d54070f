// Two projects (issue 9 part 6): `unit` — fast tests of single modules, beside them in src/;
// `smoke` — tests that drive the CLI or run whole experiments, in test/ (they share test/harness.ts).
// `npm test` runs both; `npm run test:unit` / `npm run test:smoke` run one (jest --selectProjects).
// Project entries take only per-project options, so each repeats the transform, environment and
// backend set-up; maxWorkers and testTimeout are global options and stay at the top.
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Every test file runs on the wasm backend.
  setupFilesAfterEnv: ['<rootDir>/test/setup-backend.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['<rootDir>/src/**/*.test.ts'] },
    { ...shared, displayName: 'smoke', roots: ['<rootDir>/test'], testMatch: ['<rootDir>/test/**/*.test.ts'] },
  ],
  // tfjs-wasm and the end-to-end CLI tests are CPU-bound: one worker per core.
  maxWorkers: 2,
  testTimeout: 120000,
};
