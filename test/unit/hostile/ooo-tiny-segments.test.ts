/**
 * Out-of-order data cut into one-byte segments sent backwards behind a hole, on many connections at
 * once: each buffered segment costs ~500 bytes of records and copies, not one byte, so the per-direction
 * and global out-of-order caps count it that way (half-stream.ts SEGMENT_OVERHEAD). Counted as data only,
 * this capture (32 MB) kept 450,000 segments (~225 MB) and, one connection with the 256 K segments its
 * cap allowed, took minutes (a linear insertion scan per segment).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeWatchingMemory } from '../../helpers/watch-memory.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { SEGMENT_OVERHEAD } from '../../../src/tcp/half-stream.js';
import { ethernetFrame, TCP } from '../../../scripts/fuzz/packets.js';
import { pcapHeader } from '../../../scripts/fuzz/capture-writers.js';

const FLOWS = 150;
const SEGMENTS = 3000;
const T0 = Date.UTC(2025, 0, 1) * 1000;
let dir = '';
let path = '';

async function write(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(pcapHeader({ linkType: 1 }));
  let ts = T0;
  const frame = (f: Uint8Array): Buffer => {
    const b = Buffer.alloc(16 + f.length);
    b.writeUInt32LE(Math.floor(ts / 1e6), 0);
    b.writeUInt32LE(ts % 1e6, 4);
    b.writeUInt32LE(f.length, 8);
    b.writeUInt32LE(f.length, 12);
    b.set(f, 16);
    ts += 10;
    return b;
  };
  for (let k = 0; k < FLOWS; k++) {
    const port = 20000 + k;
    const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: port, dport: 443 };
    const s = { src: '10.0.0.2', dst: '10.0.0.1', sport: 443, dport: port };
    out.write(Buffer.concat([
      frame(ethernetFrame({ ...c, seq: 1000, ack: 0, flags: TCP.SYN })),
      frame(ethernetFrame({ ...s, seq: 5000, ack: 1001, flags: TCP.SYN | TCP.ACK })),
      frame(ethernetFrame({ ...c, seq: 1001, ack: 5001, flags: TCP.ACK })),
    ]));
    // bytes 2..SEGMENTS+1 of the client's stream, last first; byte 1 (seq 1001) never comes
    const template = ethernetFrame({ ...c, seq: 0, ack: 5001, flags: TCP.ACK | TCP.PSH, payload: Uint8Array.of(0x16) });
    const batch: Buffer[] = [];
    for (let i = SEGMENTS; i >= 1; i--) {
      const b = frame(template);
      b.writeUInt32BE(1001 + i, 16 + 38); // TCP sequence number (Ethernet 14 + IPv4 20 + 4)
      batch.push(b);
    }
    if (!out.write(Buffer.concat(batch))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-extract-ooo-'));
  path = join(dir, 'ooo.pcap');
  await write(path);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one-byte out-of-order segments sent backwards on 150 connections', () => {
  it('hits each connection\'s out-of-order cap after ~500 segments, with memory bounded', async () => {
    const { report, heapGrowthMiB: growthMiB } = await analyzeWatchingMemory([path]);
    expect(report.captures[0].packets).toBe(FLOWS * (SEGMENTS + 3));
    // every connection gave up waiting for its hole once its segments' cost reached the cap
    const cap = DEFAULT_LIMITS.maxOutOfOrderBytesPerDirection;
    expect(Math.floor(cap / (1 + SEGMENT_OVERHEAD))).toBeLessThan(SEGMENTS);
    expect(report.diagnostics.find((d) => d.key === 'limit.ooo_bytes')?.count).toBe(FLOWS);
    expect(growthMiB, `heap grew by ${growthMiB.toFixed(0)} MiB`).toBeLessThan(120);
    expect(report.diagnostics.some((d) => d.key.startsWith('internal'))).toBe(false);
  }, 60_000);
});
