import { describe, expect, it } from 'vitest';
import { afterPass, arrivalNs } from '../../core/checkers/arrival-clock.js';

const nextPass = () => new Promise((resolve) => setImmediate(resolve));

describe('arrivalNs', () => {
  it('gives everything handled in one pass of the event loop the moment the pass began', async () => {
    await nextPass();
    const first = arrivalNs();
    const spinUntil = performance.now() + 5;
    while (performance.now() < spinUntil) {
      // handling other responses takes time...
    }
    expect(arrivalNs()).toBe(first);
  });

  it('starts again in the next pass', async () => {
    await nextPass();
    const first = arrivalNs();
    await nextPass();
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(arrivalNs()).toBeGreaterThan(first);
  });
});

describe('afterPass', () => {
  it('resolves every caller of one pass together, once the pass is over, and starts again after', async () => {
    await nextPass();
    const order: string[] = [];
    const first = afterPass();
    expect(afterPass()).toBe(first);
    setImmediate(() => order.push('an immediate set in the same pass'));
    await first.then(() => order.push('after the pass'));
    await nextPass();
    expect(order).toEqual(['after the pass', 'an immediate set in the same pass']);
    expect(afterPass()).not.toBe(first);
  });
});
