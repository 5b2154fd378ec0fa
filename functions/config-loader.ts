import type { Checker } from '../core/checker.js';
import { createCheckers } from '../core/checkers/create-checker.js';
import { ConfigError, type ConfigIssue } from '../core/config/config-error.js';
import { type Config, type DeploymentLimits, validateConfig } from '../core/config/parse-config.js';
import type { Logger } from './log.js';
import { METRIC_NAMES } from './metric-names.js';
import type { Metrics } from './metrics.js';

/** Where the last config that validated is kept (an object in the results bucket). */
export interface LastValidConfigStore {
  load(): Promise<string | undefined>;
  save(text: string): Promise<void>;
}

export interface ConfigLoaderOptions {
  /** Reads the current config (parsed JSON, not yet validated) from its source (SSM). */
  read: () => Promise<unknown>;
  /** Where the source is, for log lines (`ssm:/checkup/config`). */
  sourceName: string;
  lastValid: LastValidConfigStore;
  /** How long a read config is reused by a warm function. */
  cacheMs: number;
  metrics: Metrics;
  /** What the deployment allows (the SNS topics it granted); a config beyond it is invalid. */
  limits?: DeploymentLimits;
  now?: () => number;
}

/** A config ready to run: validated, its checkers built, and where it came from. */
export interface LoadedConfig {
  config: Config;
  checkers: Checker[];
  source: 'current' | 'last-valid';
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
      const loaded = build(raw, 'current', options.limits);
      const text = JSON.stringify(raw);
      if (text !== savedText) {
        await options.lastValid.save(text);
        savedText = text;
      }
      return loaded;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      log.error('config is invalid; checking with the last valid config', {
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
      return build(JSON.parse(text), 'last-valid');
    }
  };
}

// The last valid config is not held to today's limits: it is what runs when nothing else can.
function build(raw: unknown, source: LoadedConfig['source'], limits?: DeploymentLimits): LoadedConfig {
  const config = validateConfig(raw, {}, limits);
  const checkers = createCheckers(config.checkers, { allowExec: false });
  return { config, checkers, source };
}

/** The issues of a ConfigError as `path: message` lines (for messages outside the log). */
export function describeIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n');
}
