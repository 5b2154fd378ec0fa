import { describe, expect, it } from 'vitest';
import { accumulatePhases, type ExchangeStamps } from '../../core/checkers/phase-timing.js';

describe('accumulatePhases', () => {
  it.each<{ name: string; stamps: ExchangeStamps; phases: Record<string, number>; began: number }>([
    {
      name: 'a name looked up over http',
      stamps: { sent: 100, lookup: 130, connect: 150, firstByte: 190 },
      phases: { dns: 30, connect: 20, firstByte: 40 },
      began: 100,
    },
    {
      name: 'an IP address over http, from the connection attempt',
      stamps: { sent: 100, attempt: 105, connect: 120, firstByte: 170 },
      phases: { dns: 0, connect: 15, firstByte: 50 },
      began: 105,
    },
    {
      name: 'a name looked up over https',
      stamps: { sent: 0, lookup: 10, connect: 30, secure: 60, firstByte: 100 },
      phases: { dns: 10, connect: 20, tls: 30, firstByte: 40 },
      began: 0,
    },
    {
      name: 'no socket events, from when the request was made',
      stamps: { sent: 100, firstByte: 140 },
      phases: { dns: 0, connect: 0, firstByte: 40 },
      began: 100,
    },
    {
      name: 'a first byte stamped before the handshake was seen',
      stamps: { sent: 0, connect: 50, firstByte: 40 },
      phases: { dns: 0, connect: 50, firstByte: 0 },
      began: 0,
    },
  ])('times $name', ({ stamps, phases, began }) => {
    expect(accumulatePhases({}, stamps)).toEqual({ phases, began });
  });

  it('adds the phases of a redirect to those before it, leaving them untouched', () => {
    const before = { dns: 10, connect: 20, tls: 30, firstByte: 40 };
    const after = accumulatePhases(before, { sent: 0, lookup: 1, connect: 3, firstByte: 7 });
    expect(after.phases).toEqual({ dns: 11, connect: 22, tls: 30, firstByte: 44 });
    expect(before).toEqual({ dns: 10, connect: 20, tls: 30, firstByte: 40 });
  });
});
