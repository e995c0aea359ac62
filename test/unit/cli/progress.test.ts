import { ProgressLine } from '../../../functions/cli/progress';

function sink() {
  const writes: string[] = [];
  return { writes, stream: { write: (t: string) => writes.push(t) } };
}

describe('ProgressLine', () => {
  it('rewrites one line in place on a terminal, at most every interval, and ends it', () => {
    let now = 0;
    const { writes, stream } = sink();
    const line = new ProgressLine(stream, { tty: true, intervalMs: 100, now: () => now });
    line.update('read 10');
    now = 150;
    line.update('read 100 records');
    now = 200;
    line.update('read 150 records');
    line.done('done: 200');
    expect(writes).toEqual(['\rread 100 records', '\rdone: 200       ', '\n']);
  });

  it('writes whole lines every few seconds when stderr is not a terminal', () => {
    let now = 0;
    const { writes, stream } = sink();
    const line = new ProgressLine(stream, { tty: false, now: () => now });
    line.update('a');
    now = 5000;
    line.update('b');
    now = 6000;
    line.update('c');
    line.done('d');
    expect(writes).toEqual(['b\n', 'd\n']);
  });
});
