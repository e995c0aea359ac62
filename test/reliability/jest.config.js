/**
 * The reliability suite (`npm run test:reliability`): the root jest config,
 * with the long suites it normally skips, one file at a time (their figures
 * must not be measured while another suite loads the same two cores), and a
 * teardown that writes the figures into docs/reliability.md.
 * @type {import('jest').Config}
 */
const path = require('node:path');
const root = require('../../jest.config.js');

module.exports = {
  ...root,
  rootDir: path.join(__dirname, '..', '..'),
  roots: ['<rootDir>/test/reliability'],
  testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
  maxWorkers: 1,
  // Whole scenarios run inside single tests; the suite as a whole stays well under 10 minutes.
  testTimeout: 300_000,
  globalTeardown: '<rootDir>/test/reliability/support/report.ts',
};
