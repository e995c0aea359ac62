/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // middy and jose ship ESM only: let ts-jest transform them (allowJs is on in tsconfig).
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  transformIgnorePatterns: ['node_modules/(?!(@middy|jose)/)'],
  // Long runs (benchmarks, reliability soak) have their own npm scripts.
  testPathIgnorePatterns: ['/node_modules/', '/test/reliability/', '/cdk.out/'],
  testTimeout: 30000,
  // Two workers on the two cores. Jest's default leaves one core to its parent, which only waits: one worker then
  // ran the suite in 617 s on a slow day; two ran it in 231 s on the same machine state, every test passing.
  maxWorkers: 2,
};
