import { compareVersions } from '../../../functions/domain/policy-version';

describe('compareVersions', () => {
  it.each([
    ['2026-11-27.2', '2026-11-27.1', 'newer'],
    ['2026-12-01', '2026-11-27.1', 'newer'],
    ['2026-11-27.1', '2026-11-27', 'newer'],
    ['2026-11-27', '2026-11-27.1', 'older'],
    ['1.10', '1.9', 'newer'],
    ['1.9.3', '1.10', 'older'],
    ['v12', 'v9', 'newer'],
    ['2026-11-27.01', '2026-11-27.1', 'same'],
    ['2026-11-27.1', '2026-11-27.1', 'same'],
    ['1.0-RC2', '1.0-rc1', 'newer'],
    ['99999999999999999999.1', '99999999999999999998.9', 'newer'],
    ['cli-test.2', '2026-11-27.1', 'incomparable'],
    ['2026-11-27.1', 'test-1', 'incomparable'],
  ])('%s against %s is %s', (candidate, reference, order) => {
    expect(compareVersions(candidate, reference)).toBe(order);
  });
});
