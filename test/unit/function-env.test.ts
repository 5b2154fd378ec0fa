import { describe, expect, it } from 'vitest';
import { MissingEnvironmentError, readEnv } from '../../functions/env.js';

describe('readEnv', () => {
  it('returns the required and the optional variables that are set', () => {
    expect(readEnv(['A'], ['B', 'C'], { A: 'a', B: 'b' })).toEqual({ A: 'a', B: 'b' });
  });

  it('fails at once naming every missing or empty required variable', () => {
    expect(() =>
      readEnv(['CHECKUP_BUCKET', 'CHECKUP_TABLE', 'SET'], [], { CHECKUP_TABLE: '', SET: 'x' }),
    ).toThrow(new MissingEnvironmentError('missing environment variables: CHECKUP_BUCKET, CHECKUP_TABLE'));
  });
});
