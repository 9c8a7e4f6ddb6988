/**
 * Issue #6: a flood of 1M SYNs to distinct ports (distinct 4-tuples) must keep memory bounded
 * (flow table: limits.maxFlows / tombstones, eviction reported) and finish. The capture is written
 * to a temp file as a stream (70 MB), never held in memory.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/pipeline.js';
import { analyzeWatchingMemory } from '../../helpers/watch-memory.js';
import { ethernetFrame, TCP } from '../../../scripts/fuzz/packets.js';
import { pcapHeader } from '../../../scripts/fuzz/capture-writers.js';

const N = 1_000_000;
const T0 = Date.UTC(2025, 0, 1) * 1000;
let dir = '';
let path = '';

/** 1M SYN frames from 10.x.y.z:port to 10.0.0.2:443, each 4-tuple distinct. */
async function writeSynFlood(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(pcapHeader({ linkType: 1 }));
  const template = ethernetFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 443, seq: 1, ack: 0, flags: TCP.SYN });
  const rec = 16 + template.length;
  const BATCH = 10_000;
  for (let i = 0; i < N; i += BATCH) {
    const buf = Buffer.alloc(rec * BATCH);
    for (let j = 0; j < BATCH; j++) {
      const k = i + j;
      const o = j * rec;
      const ts = T0 + k * 10;
      buf.writeUInt32LE(Math.floor(ts / 1e6), o);
      buf.writeUInt32LE(ts % 1e6, o + 4);
      buf.writeUInt32LE(template.length, o + 8);
      buf.writeUInt32LE(template.length, o + 12);
      buf.set(template, o + 16);
      // source address 10.(k>>16).(k>>8).k (IPv4 header at 14, src at 26) and port 1024 + k % 60000
      buf[o + 16 + 27] = (k >> 16) & 0xff;
      buf[o + 16 + 28] = (k >> 8) & 0xff;
      buf[o + 16 + 29] = k & 0xff;
      buf.writeUInt16BE(1024 + (k % 60000), o + 16 + 34);
      buf.writeUInt32BE(k * 7919 >>> 0, o + 16 + 38);
    }
    if (!out.write(buf)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-extract-synflood-'));
  path = join(dir, 'synflood.pcap');
  await writeSynFlood(path);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SYN flood (1M distinct flows)', () => {
  it('was written as expected', () => {
    expect(statSync(path).size).toBe(24 + N * (16 + 54));
  });

  it('is analysed with bounded memory, every packet read, no TLS connection invented', async () => {
    const { report, heapGrowthMiB, rssGrowthMiB } = await analyzeWatchingMemory([path]);
    expect(report.captures[0].packets).toBe(N);
    expect(report.connections).toEqual([]);
    expect(heapGrowthMiB, `heap grew by ${heapGrowthMiB.toFixed(0)} MiB`).toBeLessThan(200);
    expect(rssGrowthMiB, `RSS grew by ${rssGrowthMiB.toFixed(0)} MiB`).toBeLessThan(300);
    expect(report.diagnostics?.some((d) => d.key.startsWith('internal'))).toBe(false);
  }, 180_000);

  it('with maxFlows 1000 the flow table is capped and says so', async () => {
    const { report } = await analyze([path], { limits: { maxFlows: 1000, maxTombstones: 1000 } });
    expect(report.captures[0].packets).toBe(N);
    const keys = (report.diagnostics ?? []).map((d) => d.key);
    expect(keys.some((k) => /^limit\.|evict/.test(k)), keys.join(', ')).toBe(true);
  }, 180_000);
});
