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
};
