import type { Checker } from '../checker.js';
import type { CheckerConfig } from '../config/checker-schemas.js';
import { createHttpChecker } from './http-checker.js';
import { createTcpChecker } from './tcp-checker.js';

/** Builds the checker a validated config entry describes. */
export function createChecker(config: CheckerConfig): Checker {
  switch (config.type) {
    case 'http':
      return createHttpChecker(config);
    case 'tcp':
      return createTcpChecker(config);
  }
}
