import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The status page's budget: script and stylesheet together, gzipped (stated in the README). */
const PAGE_BUDGET_BYTES = 30 * 1024;

describe('status page bundle', () => {
  it('stays under 30 KB of gzipped script and stylesheet (built by npm run build)', () => {
    const files = ['dist/statuspage/app.js', 'dist/statuspage/app-style.css', 'dist/statuspage/index.html'];
    const gzipped = files.map((file) => gzipSync(readFileSync(file)).length);
    expect(gzipped.every((size) => size > 0)).toBe(true);
    expect(gzipped.reduce((a, b) => a + b, 0)).toBeLessThan(PAGE_BUDGET_BYTES);
  });
});
