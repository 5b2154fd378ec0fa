import { describe, expect, it } from 'vitest';
import { ATTEMPTS_PER_TURN, attemptTurn } from '../../core/checkers/attempt-pacer.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('attemptTurn', () => {
  it('lets a few attempts begin per turn of the event loop and the rest in later turns, in order', async () => {
    await nextTurn();
    const begun: number[] = [];
    const turns: number[][] = [];
    const all = Array.from({ length: ATTEMPTS_PER_TURN * 3 + 1 }, (_, i) =>
      attemptTurn().then(() => begun.push(i)),
    );
    for (let turn = 0; turn < 5; turn++) {
      await nextTurn();
      turns.push([...begun]);
    }
    await Promise.all(all);
    expect(begun).toEqual(Array.from({ length: ATTEMPTS_PER_TURN * 3 + 1 }, (_, i) => i));
    expect(turns[0]?.length).toBeLessThanOrEqual(ATTEMPTS_PER_TURN * 2);
    expect(turns[0]?.length).toBeGreaterThan(0);
    for (let turn = 1; turn < turns.length; turn++) {
      expect((turns[turn]?.length ?? 0) - (turns[turn - 1]?.length ?? 0)).toBeLessThanOrEqual(
        ATTEMPTS_PER_TURN,
      );
    }
  });

  it('does not hold up a lone attempt', async () => {
    await nextTurn();
    let begun = false;
    const turn = attemptTurn().then(() => {
      begun = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(begun).toBe(true);
    await turn;
  });
});
