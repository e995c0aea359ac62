import { CachedRead } from '../../../functions/adapters/cached-read';

describe('CachedRead', () => {
  it('shares one read between concurrent callers and remembers when it was read', async () => {
    let now = 1_000;
    let reads = 0;
    let release!: (value: string) => void;
    const cache = new CachedRead(
      () =>
        new Promise<string>((resolve) => {
          reads += 1;
          release = resolve;
        }),
      () => now,
    );
    expect(cache.peek()).toBeUndefined();
    const first = cache.refresh();
    const second = cache.refresh();
    release('v1');
    await expect(Promise.all([first, second])).resolves.toEqual(['v1', 'v1']);
    expect(reads).toBe(1);
    now += 250;
    expect(cache.peek()).toEqual({ value: 'v1', ageMs: 250 });
  });

  it('keeps the last value when a read fails, and reads again on the next refresh', async () => {
    let fail = false;
    let n = 0;
    const cache = new CachedRead(async () => {
      if (fail) throw new Error('service down');
      n += 1;
      return n;
    });
    await cache.refresh();
    fail = true;
    await expect(cache.refresh()).rejects.toThrow('service down');
    expect(cache.peek()?.value).toBe(1);
    fail = false;
    await expect(cache.refresh()).resolves.toBe(2);
  });

  it('ages the held value without reading', async () => {
    let now = 0;
    const cache = new CachedRead(
      async () => 'x',
      () => now,
    );
    await cache.refresh();
    now = 10;
    cache.age(60_000);
    expect(cache.peek()).toEqual({ value: 'x', ageMs: 60_000 });
  });
});
