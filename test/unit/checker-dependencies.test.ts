import { describe, expect, it } from 'vitest';
import { checkDependencies } from '../../core/config/checker-dependencies.js';
import { ConfigError } from '../../core/config/config-error.js';
import { parseConfig } from '../../core/config/parse-config.js';

const http = (name: string, dependsOn?: string) => ({
  type: 'http',
  endpoint_name: name,
  endpoint_url: 'https://example.com',
  ...(dependsOn ? { depends_on: dependsOn } : {}),
});

describe('checkDependencies', () => {
  it.each([
    { name: 'accepts a chain', items: [http('DB'), http('API', 'DB'), http('Web', 'API')], expected: [] },
    {
      name: 'refuses an unknown name',
      items: [http('DB'), http('API', 'Db')],
      expected: [{ path: 'checkers[1].depends_on', message: 'no checker is named "Db"' }],
    },
    {
      name: 'refuses the checker’s own name',
      items: [http('API', 'API')],
      expected: [{ path: 'checkers[0].depends_on', message: 'an endpoint cannot depend on itself' }],
    },
    {
      name: 'refuses a cycle once, from its first member',
      items: [http('A', 'B'), http('B', 'C'), http('C', 'A'), http('D', 'A')],
      expected: [{ path: 'checkers[0].depends_on', message: 'a cycle: "A" -> "B" -> "C" -> "A"' }],
    },
    {
      name: 'finds an exec checker by its `name`',
      items: [{ type: 'exec', name: 'Backup', command: 'true' }, http('Web', 'Backup')],
      expected: [],
    },
  ])('$name', ({ items, expected }) => {
    expect(checkDependencies(items)).toEqual(expected);
  });

  it('makes a bad depends_on a config error naming its place', () => {
    const text = JSON.stringify({ checkers: [http('DB'), http('API', 'Nope')] });
    expect(() => parseConfig(text)).toThrow(ConfigError);
    expect(() => parseConfig(text)).toThrow(/checkers\[1\]\.depends_on: no checker is named "Nope"/);
  });
});
