import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventIdTable } from '../src/ingest/event-id-table.js';

describe('EventIdTable', () => {
  it('answers the first partition of a hash claimed again, across growth and keys alike in their low bits', () => {
    const table = new EventIdTable(4);
    const hashes: number[] = [];
    // Keys that differ only above bit 32, and keys near 2^53: the slot must depend on both halves.
    for (let i = 1; i <= 5000; i++) hashes.push(i * 0x100000000 + 7, Number.MAX_SAFE_INTEGER - i, i);
    hashes.forEach((h, i) => assert.equal(table.claim(h, i % 1000), -1, `first claim of ${h}`));
    assert.equal(table.size, hashes.length);
    hashes.forEach((h, i) => assert.equal(table.claim(h, 999_999), i % 1000, `second claim of ${h}`));
    assert.equal(table.size, hashes.length, 'a second claim adds nothing');
    assert.equal(table.claim(0x100000000 * 5001 + 7, 3), -1, 'an unseen key is not mistaken for a neighbour');
  });
});
