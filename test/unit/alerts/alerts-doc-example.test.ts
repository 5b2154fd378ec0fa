import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { alertPolicyOf } from '../../../core/alerts/alert-policy.js';
import { parseConfig } from '../../../core/config/parse-config.js';

describe('the Alerts doc example', () => {
  it('is a valid config with the policy it describes', async () => {
    const readme = await readFile(new URL('../../../docs/alerts.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('# Alerts'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(json).toBeDefined();
    const config = parseConfig(json as string);
    expect(config.notifiers.map((notifier) => notifier.type)).toEqual(['slack', 'webhook', 'sns']);
    expect(alertPolicyOf(config.notifiers[0] ?? { type: 'slack' })).toMatchObject({
      failureThreshold: 2,
      renotifyNs: 3600e9,
    });
  });
});
