/** Odd multipliers: each step of a lane is a bijection, so one changed word always changes the lane. */
const MULTIPLIERS = [0x01000193, 0x5bd1e995, 0x85ebca6b, 0xc2b2ae35] as const;

/**
 * A 128-bit checksum of `bytes` (four 32-bit FNV-style lanes over its 32-bit words, and its
 * length), for telling damaged or changed data from intact: not a cryptographic hash. Plain
 * JavaScript, so start-up does not load node:crypto (3 ms) to check its code cache.
 */
export function checksum(bytes: Uint8Array): Buffer {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Uint8Array.from(bytes);
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2);
  let [a, b, c, d] = [0x811c9dc5 ^ bytes.length, 0x9e3779b9, 0x27d4eb2f, 0x165667b1];
  const whole = words.length - (words.length % 4);
  for (let i = 0; i < whole; i += 4) {
    a = Math.imul(a ^ (words[i] as number), MULTIPLIERS[0]);
    b = Math.imul(b ^ (words[i + 1] as number), MULTIPLIERS[1]);
    c = Math.imul(c ^ (words[i + 2] as number), MULTIPLIERS[2]);
    d = Math.imul(d ^ (words[i + 3] as number), MULTIPLIERS[3]);
  }
  for (let i = whole; i < words.length; i++) a = Math.imul(a ^ (words[i] as number), MULTIPLIERS[0]);
  for (let i = words.length * 4; i < bytes.length; i++)
    b = Math.imul(b ^ (bytes[i] as number), MULTIPLIERS[1]);
  const out = Buffer.alloc(16);
  for (const [index, lane] of [a, b, c, d].entries()) out.writeInt32LE(lane | 0, index * 4);
  return out;
}
