import type { CheckerConfig } from './checker-schemas.js';
import type { ConfigIssue } from './config-error.js';

/** Each endpoint's `depends_on` parent, by title, for the alert policy. */
export function dependencyMap(checkers: readonly CheckerConfig[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const checker of checkers) if (checker.depends_on) map[checker.endpoint_name] = checker.depends_on;
  return map;
}

/**
 * The problems of the checkers' `depends_on` keys, each at its place: a name no checker has,
 * the checker's own name, or a cycle (named from its first member, `A -> B -> A`). Takes the raw
 * items, so a checker invalid for another reason still has its place counted. Pure.
 */
export function checkDependencies(items: readonly unknown[]): ConfigIssue[] {
  const names = items.map((item) => {
    const record = item as { type?: unknown; endpoint_name?: unknown; name?: unknown } | null;
    const name = record?.type === 'exec' ? record?.name : record?.endpoint_name;
    return typeof name === 'string' ? name : undefined;
  });
  const parents = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  items.forEach((item, index) => {
    const parent = (item as { depends_on?: unknown } | null)?.depends_on;
    const name = names[index];
    if (typeof parent !== 'string' || name === undefined) return;
    const path = `checkers[${index}].depends_on`;
    if (parent === name) issues.push({ path, message: 'an endpoint cannot depend on itself' });
    else if (!names.includes(parent))
      issues.push({ path, message: `no checker is named ${JSON.stringify(parent)}` });
    else parents.set(name, parent);
  });
  const reported = new Set<string>();
  items.forEach((_item, index) => {
    const start = names[index];
    if (start === undefined || !parents.has(start) || reported.has(start)) return;
    const chain = [start];
    for (let at = parents.get(start); at !== undefined; at = parents.get(at)) {
      if (at === start) {
        for (const member of chain) reported.add(member);
        issues.push({
          path: `checkers[${index}].depends_on`,
          message: `a cycle: ${[...chain, start].map((name) => JSON.stringify(name)).join(' -> ')}`,
        });
        return;
      }
      if (chain.includes(at)) return; // a cycle further on, reported from its own first member
      chain.push(at);
    }
  });
  return issues;
}
