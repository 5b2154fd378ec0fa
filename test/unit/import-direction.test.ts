import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['core', 'adapters', 'cli', 'functions', 'infra', 'statuspage'];

/** Every source file (root-relative, `/`-separated) and the files and packages it imports. */
function importGraph(): Map<string, { files: string[]; packages: string[] }> {
  const graph = new Map<string, { files: string[]; packages: string[] }>();
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const specifiers = [...text.matchAll(/(?:\bfrom|\bimport\s*\(?)\s*['"]([^'"]+)['"]/g)].map(
        (m) => m[1] as string,
      );
      const files: string[] = [];
      const packages: string[] = [];
      for (const specifier of specifiers) {
        if (!specifier.startsWith('.')) packages.push(specifier);
        else files.push(path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts'));
      }
      graph.set(file, { files, packages });
    }
  }
  return graph;
}

const graph = importGraph();
const layer = (file: string) => file.split('/')[0] as string;

describe('the source tree', () => {
  it('finds the imports it checks (a broken scan would pass everything)', () => {
    expect(graph.get('functions/check-handler.ts')?.files).toContain('core/fanout/run-tick.ts');
    expect(graph.get('adapters/storage/s3-storage.ts')?.packages).toContain('@aws-sdk/client-s3');
  });

  it('keeps core to itself: no import outside core, no AWS SDK', () => {
    const outside = [...graph]
      .filter(([file]) => layer(file) === 'core')
      .flatMap(([file, { files, packages }]) => [
        ...files.filter((target) => layer(target) !== 'core').map((target) => `${file} -> ${target}`),
        ...packages.filter((name) => name.startsWith('@aws-sdk/')).map((name) => `${file} -> ${name}`),
      ]);
    expect(outside).toEqual([]);
  });

  it('keeps adapters below the hosts: nothing from cli, functions or infra', () => {
    const upward = [...graph]
      .filter(([file]) => layer(file) === 'adapters')
      .flatMap(([file, { files }]) =>
        files
          .filter((target) => ['cli', 'functions', 'infra'].includes(layer(target)))
          .map((t) => `${file} -> ${t}`),
      );
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file)?.files ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
