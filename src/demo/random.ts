/**
 * The only source of randomness in the demo generator.
 *
 * Every value a generated log holds (account ids, event ids, times, file names) comes from a
 * `SeededRandom` derived from the user's seed and a label saying what it is for, so the same
 * seed always gives the same bytes, whatever order or thread the work runs in. `Math.random`
 * and the clock are never used.
 *
 * @example
 * const rng = SeededRandom.from('trailscope', 'day', 12);
 * rng.uuid(); // same value on every run for this seed and day
 */

const HEX_DIGITS = '0123456789abcdef';
const HEX_CODES = Array.from(HEX_DIGITS, (c) => c.charCodeAt(0));
const UPPER_HEX_CODES = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const SCRATCH: number[] = [];
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** cyrb128: four 32-bit words from a string, enough to seed sfc32 well. */
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** A fast seeded generator (sfc32): small state, passes PractRand far beyond what a demo needs. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(seed: [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = seed;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A generator for one purpose: the parts name it (`'person', 'ana', 'day', 3`). */
  static from(...parts: readonly (string | number)[]): SeededRandom {
    return new SeededRandom(hashSeed(parts.join('\u0000')));
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Roughly normal around `mean` (sum of three uniforms): good enough for human jitter. */
  around(mean: number, spread: number): number {
    return mean + ((this.next() + this.next() + this.next()) / 1.5 - 1) * spread;
  }

  /** Waiting time with the given mean: gaps between independent events. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Characters drawn from an alphabet, made in one allocation (this VM is slow at many small ones). */
  private text(alphabet: string, length: number): string {
    const codes = SCRATCH;
    codes.length = length;
    const n = alphabet.length;
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(Math.floor(this.next() * n));
    return String.fromCharCode.apply(null, codes);
  }

  hex(length: number): string {
    return this.text(HEX_DIGITS, length);
  }

  lowerAlnum(length: number): string {
    return this.text(LOWER_ALNUM, length);
  }

  upperAlnum(length: number): string {
    return this.text(UPPER_ALNUM, length);
  }

  mixedAlnum(length: number): string {
    return this.text(MIXED_ALNUM, length);
  }

  digits(length: number): string {
    return this.text('0123456789', length);
  }

  /** A version-4 UUID, as CloudTrail writes eventID and most requestIDs. */
  uuid(): string {
    const codes = SCRATCH;
    codes.length = 36;
    this.uuidCodes(codes, 0);
    return String.fromCharCode.apply(null, codes);
  }

  /** Writes a version-4 UUID's 36 ASCII bytes at `offset`; returns the offset after it. */
  writeUuid(bytes: Uint8Array | number[], offset: number): number {
    this.uuidCodes(bytes, offset);
    return offset + 36;
  }

  private uuidCodes(out: Uint8Array | number[], o: number): void {
    let word = 0;
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        out[o + i] = 45;
        continue;
      }
      if ((i & 7) === 0 || i === 9 || i === 19 || i === 24) word = this.uint32();
      let nibble = word & 15;
      word >>>= 4;
      if (i === 14) nibble = 4;
      else if (i === 19) nibble = 8 | (nibble & 3);
      out[o + i] = HEX_CODES[nibble]!;
    }
  }

  /** Writes `hex(length).toUpperCase()` (S3's request ids) at `offset`; returns the offset after them. */
  writeUpperHex(bytes: Uint8Array, offset: number, length: number): number {
    for (let i = 0; i < length; i++) bytes[offset + i] = UPPER_HEX_CODES[this.uint32() >>> 28]!;
    return offset + length;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

/**
 * A choice among weighted options, drawn in O(log n): an actor's repertoire of API calls is
 * drawn from hundreds of thousands of times per run.
 */
export class WeightedChoice<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(entries: Iterable<readonly [T, number]>) {
    for (const [item, weight] of entries) {
      if (!(weight > 0)) continue;
      this.total += weight;
      this.items.push(item);
      this.cumulative.push(this.total);
    }
    if (this.items.length === 0) throw new Error('WeightedChoice needs at least one option with a positive weight');
  }

  get size(): number {
    return this.items.length;
  }

  pick(rng: SeededRandom): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
