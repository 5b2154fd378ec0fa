import type { AlertState } from './alert-state.js';

/** The stored alert state cannot be used; the message names where it is and what to do. */
export class UnreadableAlertStateError extends Error {
  override readonly name = 'UnreadableAlertStateError';

  constructor(location: string, problem: string, options?: { cause?: unknown }) {
    super(`${location}: ${problem}; delete it to start the alert state afresh`, options);
  }
}

/**
 * Checks a stored alert state (parsed JSON) has the shape the alert policy walks, so a hand edit
 * or another version's file is an UnreadableAlertStateError naming `location`, not a TypeError.
 */
export function checkAlertState(value: unknown, location: string): AlertState {
  const problem = shapeProblem(value as Partial<AlertState> | null);
  if (problem) throw new UnreadableAlertStateError(location, `not an alert state (${problem})`);
  return value as AlertState;
}

/** Parses and checks stored alert state text. */
export function parseAlertState(text: string, location: string): AlertState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UnreadableAlertStateError(location, `not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  return checkAlertState(value, location);
}

function shapeProblem(state: Partial<AlertState> | null): string | undefined {
  if (!isObject(state)) return 'the state is not an object';
  if (!isObject(state.endpoints)) return '"endpoints" is not an object';
  for (const [title, endpoint] of Object.entries(state.endpoints))
    if (
      !isObject(endpoint) ||
      !isObject(endpoint.notifiers) ||
      !Object.values(endpoint.notifiers).every(isObject)
    )
      return `endpoint ${JSON.stringify(title)} is not an endpoint state`;
  if (!Array.isArray(state.outbox)) return '"outbox" is not an array';
  if (!state.outbox.every((entry) => isObject(entry) && isObject(entry.alert)))
    return '"outbox" holds something other than alerts';
  if (state.deliveries !== undefined && !Array.isArray(state.deliveries))
    return '"deliveries" is not an array';
  if (state.notifierHealth !== undefined && !isObject(state.notifierHealth))
    return '"notifierHealth" is not an object';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
