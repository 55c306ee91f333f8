/**
 * The eventID hashes a batch has staged, each with the number of the partition it went to:
 * an open-addressing table in two typed arrays. A batch holds a few hundred thousand of them;
 * a `Map` of that many numbers boxes each key on the V8 heap and leaves every outgrown
 * backing store there as garbage (42 MB over three days of the L benchmark), which the main
 * thread's heap carries until a full collection.
 */
export class EventIdTable {
  #hashes: Float64Array;
  #partitions: Int32Array;
  #count = 0;

  constructor(capacity = 1 << 16) {
    this.#hashes = new Float64Array(capacity);
    this.#partitions = new Int32Array(capacity);
  }

  get size(): number {
    return this.#count;
  }

  /**
   * The partition `hash` was staged to before, or -1 after recording it for `partition`.
   * `hash` is a non-zero integer below 2^53 (see `eventIdHash`).
   */
  claim(hash: number, partition: number): number {
    const mask = this.#hashes.length - 1;
    let slot = (hash ^ (hash / 0x100000000)) & mask;
    for (;;) {
      const h = this.#hashes[slot]!;
      if (h === hash) return this.#partitions[slot]!;
      if (h === 0) break;
      slot = (slot + 1) & mask;
    }
    this.#hashes[slot] = hash;
    this.#partitions[slot] = partition;
    // Half full at most, so a probe ends after a slot or two.
    if (++this.#count * 2 > this.#hashes.length) this.#grow();
    return -1;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const partitions = this.#partitions;
    this.#hashes = new Float64Array(hashes.length * 2);
    this.#partitions = new Int32Array(hashes.length * 2);
    this.#count = 0;
    for (let i = 0; i < hashes.length; i++) if (hashes[i] !== 0) this.claim(hashes[i]!, partitions[i]!);
  }
}
