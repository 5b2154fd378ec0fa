import type { Checker } from '../checker.js';
import type { CheckerConfig } from '../config/checker-schemas.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import type { HeartbeatStore } from '../heartbeat/heartbeat-store.js';
import { CheckerSetupError } from './checker-setup-error.js';
import { createDnsChecker } from './dns-checker.js';
import { createExecChecker } from './exec-checker.js';
import { createHeartbeatChecker } from './heartbeat-checker.js';
import { createHttpChecker } from './http-checker.js';
import { createTcpChecker } from './tcp-checker.js';
import { createTlsChecker } from './tls-checker.js';

/** What the host running the checks allows. */
export interface CreateCheckerOptions {
  /** Whether `exec` checkers may run local commands: true on the command line, false in Lambda. */
  allowExec: boolean;
  /** Where pings wait for `heartbeat` checkers; without it they cannot be built. */
  heartbeats?: HeartbeatStore;
}

/** Builds the checker a validated config entry describes. Throws CheckerSetupError when it cannot. */
export function createChecker(config: CheckerConfig, options: CreateCheckerOptions): Checker {
  const checker = createUngroupedChecker(config, options);
  return config.group === undefined ? checker : inGroup(checker, config.group);
}

/** The checker, each of whose results names its group (the summary and page read it there). */
function inGroup(checker: Checker, group: string): Checker {
  return {
    type: checker.type,
    title: checker.title,
    endpoint: checker.endpoint,
    async check(context) {
      return { ...(await checker.check(context)), group };
    },
  };
}

function createUngroupedChecker(config: CheckerConfig, options: CreateCheckerOptions): Checker {
  switch (config.type) {
    case 'http':
      return createHttpChecker(config);
    case 'tcp':
      return createTcpChecker(config);
    case 'tls':
      return createTlsChecker(config);
    case 'dns':
      return createDnsChecker(config);
    case 'exec':
      if (!options.allowExec) {
        throw new CheckerSetupError(
          'exec checkers run local commands, which only the checkup command line does (refused here)',
        );
      }
      return createExecChecker(config);
    case 'heartbeat':
      if (!options.heartbeats)
        throw new CheckerSetupError(
          'heartbeat checkers need the storage their pings are kept in (none here)',
        );
      return createHeartbeatChecker(config, options.heartbeats);
  }
}

/**
 * Builds every checker of a config, or throws one ConfigError naming each entry that cannot be
 * built (`checkers[2].trusted_roots[0]: cannot read ...`).
 */
export function createCheckers(configs: readonly CheckerConfig[], options: CreateCheckerOptions): Checker[] {
  const issues: ConfigIssue[] = [];
  const checkers = configs.flatMap((config, index) => {
    try {
      return [createChecker(config, options)];
    } catch (error) {
      if (!(error instanceof CheckerSetupError)) throw error;
      issues.push({ path: `checkers[${index}]${error.key ? `.${error.key}` : ''}`, message: error.message });
      return [];
    }
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return checkers;
}
