import type { Checker } from '../core/checker.js';
import { ConfigError, type ConfigIssue } from '../core/config/config-error.js';
import type { LastValidConfigStore } from '../core/config/last-valid-config-store.js';
import { type Config, type DeploymentLimits, validateConfig } from '../core/config/parse-config.js';
import type { Logger } from './log.js';
import { METRIC_NAMES } from './metric-names.js';
import type { Metrics } from './metrics.js';

export interface ConfigLoaderOptions {
  /** Reads the current config (parsed JSON, not yet validated) from its source (SSM). */
  read: () => Promise<unknown>;
  /** Where the source is, for log lines (`ssm:/checkup/config`). */
  sourceName: string;
  lastValid: LastValidConfigStore;
  /**
   * Whether a valid current config is saved as the last valid one (the check function keeps it;
   * the notify function only falls back to it). Default true.
   */
  keepLastValid?: boolean;
  /**
   * Builds the checkers of a valid config (the check function runs them); without it none are
   * built. Passed in, so a function that only reads the config does not bundle the checkers.
   */
  buildCheckers?: (checkers: Config['checkers']) => Checker[];
  /** What the log line says when the current config is invalid, and at which level. */
  invalid?: { level: 'warn' | 'error'; message: string };
  /** How long a read config is reused by a warm function. */
  cacheMs: number;
  metrics: Metrics;
  /** What the deployment allows (the SNS topics it granted); a config beyond it is invalid. */
  limits?: DeploymentLimits;
  now?: () => number;
}

/** A config ready to run: validated, its checkers built (unless not asked for), and where it came from. */
export interface LoadedConfig {
  config: Config;
  checkers: Checker[];
  source: 'current' | 'last-valid';
  /** The config as read, before validation: what a fanned-out tick hands its shards. */
  raw: unknown;
}

/**
 * Loads the config for a run. The current one is read at most every `cacheMs` (so an edit takes
 * effect at the next run), validated and its checkers built (exec refused: a Lambda runs no
 * local commands). When it is valid it becomes the last valid config. When it is not, the error
 * is logged with every problem's place, the `ConfigInvalid` metric is raised, and the run goes on
 * with the last valid config. Only when there is none does the run fail.
 */
export function createConfigLoader(options: ConfigLoaderOptions): (log: Logger) => Promise<LoadedConfig> {
  const now = options.now ?? Date.now;
  let cached: { at: number; raw: Promise<unknown> } | undefined;
  let savedText: string | undefined;
  const { keepLastValid = true, buildCheckers } = options;
  const invalid = options.invalid ?? {
    level: 'error',
    message: 'config is invalid; checking with the last valid config',
  };

  return async (log) => {
    if (!cached || now() - cached.at >= options.cacheMs) {
      const raw = options.read();
      cached = { at: now(), raw };
      raw.catch(() => {
        cached = undefined;
      });
    }
    try {
      const raw = await cached.raw;
      const loaded = build(raw, 'current', buildCheckers, options.limits);
      const text = JSON.stringify(raw);
      if (keepLastValid && text !== savedText) {
        await options.lastValid.save(text);
        savedText = text;
      }
      return loaded;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      log[invalid.level](invalid.message, {
        source: options.sourceName,
        issues: error.issues,
      });
      options.metrics.put([{ name: METRIC_NAMES.configInvalid, value: 1, unit: 'Count' }]);
      const text = await options.lastValid.load();
      if (text === undefined) {
        throw new ConfigError(
          [
            ...error.issues,
            { path: '', message: 'and no earlier config was valid, so nothing can be checked' },
          ],
          { cause: error },
        );
      }
      savedText = text;
      return build(JSON.parse(text), 'last-valid', buildCheckers);
    }
  };
}

// The last valid config is not held to today's limits: it is what runs when nothing else can.
function build(
  raw: unknown,
  source: LoadedConfig['source'],
  buildCheckers: ConfigLoaderOptions['buildCheckers'],
  limits?: DeploymentLimits,
): LoadedConfig {
  const config = validateConfig(raw, {}, limits);
  const checkers = buildCheckers ? buildCheckers(config.checkers) : [];
  return { config, checkers, source, raw };
}

/** The issues of a ConfigError as `path: message` lines (for messages outside the log). */
export function describeIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n');
}
