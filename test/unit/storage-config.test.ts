import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config/config-error.js';
import { parseConfig } from '../../core/config/parse-config.js';

function problems(storage: unknown): string[] {
  try {
    parseConfig(JSON.stringify({ checkers: [], storage }));
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('s3 and dynamodb storage config', () => {
  it("reads checkup's s3 keys, with provider for type and durations in ns", () => {
    const config = parseConfig(
      JSON.stringify({
        checkers: [],
        storage: {
          provider: 's3',
          bucket: 'status',
          region: 'eu-west-1',
          access_key_id: 'AKIDEXAMPLE',
          secret_access_key: 'example-secret',
          check_expiry: 1209600000000000,
        },
      }),
    );
    expect(config.storage).toEqual({
      type: 's3',
      bucket: 'status',
      region: 'eu-west-1',
      access_key_id: 'AKIDEXAMPLE',
      secret_access_key: 'example-secret',
      check_expiry: 14 * 86_400e9,
    });
  });

  it('reads the dynamodb keys', () => {
    const config = parseConfig(
      JSON.stringify({
        checkers: [],
        storage: {
          type: 'dynamodb',
          table: 'checkup',
          endpoint: 'http://127.0.0.1:8000',
          check_expiry: '30d',
        },
      }),
    );
    expect(config.storage).toEqual({
      type: 'dynamodb',
      table: 'checkup',
      endpoint: 'http://127.0.0.1:8000',
      check_expiry: 30 * 86_400e9,
    });
  });

  it.each([
    [{ type: 's3' }, 'storage.bucket: required'],
    [
      { type: 's3', bucket: 'b', access_key_id: 'AKID' },
      'storage.secret_access_key: required when the other key',
    ],
    [
      { type: 's3', bucket: 'b', secret_access_key: 'x' },
      'storage.access_key_id: required when the other key',
    ],
    [{ type: 's3', bucket: 'b', endpoint: 'localhost:9000' }, 'storage.endpoint:'],
    [{ type: 's3', bucket: 'b', force_path_style: 'yes' }, 'storage.force_path_style:'],
    [{ type: 's3', bucket: 'b', bukket: 'c' }, 'storage.bukket: unknown key; did you mean "bucket"?'],
    [{ type: 'dynamodb' }, 'storage.table: required'],
    [{ type: 'dynamodb', table: 't', check_expiry: 'forever' }, 'storage.check_expiry: not a duration'],
  ])('rejects %j naming the place', (storage, expected) => {
    const lines = problems(storage);
    expect(
      lines.some((line) => line.startsWith(expected)),
      lines.join('\n'),
    ).toBe(true);
  });
});
