import { describe, expect, it } from 'vitest';
import { Progress } from '../../cli/progress.js';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) > 0 };
}

describe('progress', () => {
  it('shows the count on a terminal once a run has taken half a second, then clears it', () => {
    let now = 0;
    const stream = fakeStream(true);
    const progress = new Progress(stream, 1000, () => now);
    progress.update(10);
    expect(stream.written).toEqual([]);
    now = 600;
    progress.update(250);
    progress.clear();
    expect(stream.written).toEqual(['\r\x1b[2Kchecked 250/1000', '\r\x1b[2K']);
  });

  it('stays silent when the output is not a terminal', () => {
    let now = 0;
    const stream = fakeStream(false);
    const progress = new Progress(stream, 1000, () => now);
    now = 5000;
    progress.update(999);
    progress.clear();
    expect(stream.written).toEqual([]);
  });
});
