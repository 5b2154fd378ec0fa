import { deliverAlerts } from '../../core/alerts/deliver-alerts.js';
import { testAlert } from '../../core/alerts/test-alert.js';
import { unixNs } from '../../core/clock.js';
import { ConfigError } from '../../core/config/config-error.js';
import { buildNotifiers } from '../alert-on-run.js';
import type { Command } from '../command.js';
import { terminalText } from '../terminal-text.js';
import { UsageError } from '../usage-error.js';

/** `checkup notify test`: sends a test message through every configured notifier. */
export const notifyTestCommand: Command = {
  name: 'notify',
  usage: 'notify test',
  summary: 'send a test message through every configured notifier',
  async run({ args, configFile, loadConfig }) {
    if (args.length !== 1 || args[0] !== 'test')
      throw new UsageError('notify takes one word: "checkup notify test"');
    const config = await loadConfig({ stores: false });
    if (config.notifiers.length === 0)
      throw new ConfigError([
        { path: `${configFile}: notifiers`, message: 'none configured: nothing to test' },
      ]);
    const notifiers = await buildNotifiers(config);
    const at = unixNs();
    const outcomes = await deliverAlerts(
      notifiers.map((notifier) => testAlert(notifier.id, at)),
      notifiers,
    );
    for (const outcome of outcomes) {
      const line = outcome.ok
        ? `${outcome.alert.notifierId}: sent`
        : `${outcome.alert.notifierId}: FAILED: ${outcome.error}`;
      process.stdout.write(`${terminalText(line)}\n`);
    }
    return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
  },
};
