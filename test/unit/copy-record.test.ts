import { describe, expect, it } from 'vitest';
import { copyRecord } from '../../core/copy-record.js';

describe('copyRecord', () => {
  it('copies a record as a spread does: the same keys in the same order, a new object', () => {
    const record: Record<string, { n: number }> = JSON.parse(
      '{"b":{"n":1},"10":{"n":2},"a":{"n":3},"2":{"n":4}}',
    );
    const copy = copyRecord(record);
    expect(copy).not.toBe(record);
    expect(Object.keys(copy)).toEqual(Object.keys({ ...record }));
    expect(copy).toEqual({ ...record });
    expect(copy.b).toBe(record.b);
    copy.c = { n: 5 };
    expect(record.c).toBeUndefined();
  });

  it('keeps a key named __proto__ as a key, not as the prototype', () => {
    const record = JSON.parse('{"__proto__":{"n":1},"x":{"n":2}}') as Record<string, { n: number }>;
    const copy = copyRecord(record);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...record }));
  });

  it('copies thousands of keys', () => {
    const record = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`endpoint ${i}`, i]));
    expect(copyRecord(record)).toEqual(record);
  });
});
