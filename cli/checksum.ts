/**
 * A 128-bit checksum of `bytes` (four 32-bit FNV-style lanes over its 32-bit words, and its
 * length), for telling damaged or changed data from intact: not a cryptographic hash. Each step
 * of a lane is a bijection (xor, then a multiply by an odd number), so one changed word always
 * changes its lane. Plain JavaScript, so start-up does not load node:crypto to check its code
 * cache; the multipliers are literals because the loop runs mostly in the interpreter, where a
 * constant read from the module costs as much as the arithmetic.
 */
export function checksum(bytes: Uint8Array): Buffer {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2);
  let a = 0x811c9dc5 ^ bytes.length;
  let b = 0x9e3779b9;
  let c = 0x27d4eb2f;
  let d = 0x165667b1;
  const whole = words.length - (words.length % 4);
  for (let i = 0; i < whole; i += 4) {
    a = Math.imul(a ^ (words[i] as number), 0x01000193);
    b = Math.imul(b ^ (words[i + 1] as number), 0x5bd1e995);
    c = Math.imul(c ^ (words[i + 2] as number), 0x85ebca6b);
    d = Math.imul(d ^ (words[i + 3] as number), 0xc2b2ae35);
  }
  for (let i = whole; i < words.length; i++) a = Math.imul(a ^ (words[i] as number), 0x01000193);
  for (let i = words.length * 4; i < bytes.length; i++) b = Math.imul(b ^ (bytes[i] as number), 0x5bd1e995);
  const out = Buffer.alloc(16);
  out.writeInt32LE(a | 0, 0);
  out.writeInt32LE(b | 0, 4);
  out.writeInt32LE(c | 0, 8);
  out.writeInt32LE(d | 0, 12);
  return out;
}
