/**
 * A shallow copy of a record, as `{ ...record }` makes it. A spread of a record with thousands of
 * keys (the alert state's endpoints, by title) cost V8 15-20 ms on its first call, building the
 * copy one hidden class per key; copying key by key costs well under a millisecond.
 */
export function copyRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const copy: Record<string, T> = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    // Assigning `__proto__` would set the prototype: defined as the spread defines it.
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: record[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = record[key] as T;
  }
  return copy;
}
