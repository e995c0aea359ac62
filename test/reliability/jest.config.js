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
  // Whole scenarios run inside single tests. The bound is generous on purpose: on a busy shared 2-core machine a
  // scenario that takes two minutes when quiet has taken ten (load average 18); what the suites assert is what
  // happened, not how fast.
  testTimeout: 1_200_000,
  globalTeardown: '<rootDir>/test/reliability/support/report.ts',
};
