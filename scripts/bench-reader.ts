/**
 * Scratch benchmark of the bare capture loop: read buffer → pcap/pcapng record → decode
 * Ethernet/IPv4/TCP. Not a test (no timed assertions anywhere).
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench-reader.js [sizeMB=500] [payload=1460] [pcap|pcapng|gzip] [bufferMiB=2]
 *
 * Writes a synthetic capture to the OS temp dir, reads it BENCH_RUNS times (default 6, alternating
 * read-ahead on and off), prints GB/s and heap growth, then deletes the file. BENCH_WORK=n makes the
 * callback touch n payload bytes per packet (a stand-in for TCP/TLS work, to see I/O overlap).
 */
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { fileByteSource } from '../src/capture/byte-source.js';
import { forEachPacket } from '../src/capture/for-each-packet.js';
import { openCapture } from '../src/capture/open-capture.js';
import type { PacketRecord } from '../src/capture/packet-record.js';
import { decodePacket } from '../src/decode/link.js';
import { DecodeStatus, newPacketView } from '../src/decode/packet-view.js';
import { Diagnostics } from '../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../src/options.js';

type Format = 'pcap' | 'pcapng' | 'gzip';

/** BENCH_WORK=n: payload bytes touched per packet, to emulate downstream work (default 0) */
const WORK_BYTES = Number(process.env.BENCH_WORK ?? 0);

function frame(payload: number): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20 + payload);
  const dv = new DataView(f.buffer);
  dv.setUint16(12, 0x0800);
  f[14] = 0x45; dv.setUint16(16, 40 + payload); f[22] = 64; f[23] = 6;
  dv.setUint32(26, 0x0a000001); dv.setUint32(30, 0x0a000002);
  dv.setUint16(34, 50000); dv.setUint16(36, 443); f[46] = 0x50; f[47] = 0x18;
  for (let i = 54; i < f.length; i++) f[i] = i & 255;
  return f;
}

async function writeCapture(path: string, sizeMB: number, payload: number, format: Format): Promise<number> {
  const f = frame(payload);
  const recHdr = format === 'pcapng' ? 28 : 16;
  const pad = format === 'pcapng' ? (4 - (f.length % 4)) % 4 : 0;
  const recLen = recHdr + f.length + pad + (format === 'pcapng' ? 4 : 0);
  const perChunk = Math.max(1, Math.floor((4 << 20) / recLen));
  const chunk = new Uint8Array(perChunk * recLen);
  const dv = new DataView(chunk.buffer);
  const total = Math.ceil((sizeMB << 20) / chunk.length);
  const out = createWriteStream(path);
  const sink = format === 'gzip' ? createGzip({ level: 1 }) : null;
  if (sink !== null) sink.pipe(out);
  const write = (b: Uint8Array) => new Promise<void>((res, rej) => (sink ?? out).write(b, (e) => (e ? rej(e) : res())));
  if (format === 'pcapng') {
    const shb = new Uint8Array(28 + 20);
    const h = new DataView(shb.buffer);
    h.setUint32(0, 0x0a0d0d0a, true); h.setUint32(4, 28, true); h.setUint32(8, 0x1a2b3c4d, true); h.setUint16(12, 1, true);
    h.setInt32(16, -1, true); h.setInt32(20, -1, true); h.setUint32(24, 28, true);
    h.setUint32(28, 1, true); h.setUint32(32, 20, true); h.setUint16(36, 1, true); h.setUint32(40, 0, true); h.setUint32(44, 20, true);
    await write(shb);
  } else {
    const gh = new Uint8Array(24);
    const h = new DataView(gh.buffer);
    h.setUint32(0, 0xa1b2c3d4, true); h.setUint16(4, 2, true); h.setUint16(6, 4, true); h.setUint32(16, 262144, true); h.setUint32(20, 1, true);
    await write(gh);
  }
  let n = 0;
  const t0 = 1_700_000_000;
  for (let c = 0; c < total; c++) {
    for (let i = 0; i < perChunk; i++, n++) {
      const o = i * recLen;
      if (format === 'pcapng') {
        const us = t0 * 1e6 + n;
        dv.setUint32(o, 6, true); dv.setUint32(o + 4, recLen, true); dv.setUint32(o + 8, 0, true);
        dv.setUint32(o + 12, Math.floor(us / 4294967296), true); dv.setUint32(o + 16, us % 4294967296, true);
        dv.setUint32(o + 20, f.length, true); dv.setUint32(o + 24, f.length, true);
        chunk.set(f, o + 28);
        dv.setUint32(o + recLen - 4, recLen, true);
      } else {
        dv.setUint32(o, t0 + Math.floor(n / 1e6), true); dv.setUint32(o + 4, n % 1e6, true);
        dv.setUint32(o + 8, f.length, true); dv.setUint32(o + 12, f.length, true);
        chunk.set(f, o + 16);
      }
      dv.setUint32(o + recHdr + 38, n >>> 0); // TCP seq varies
    }
    await write(chunk);
  }
  await new Promise<void>((res) => { (sink ?? out).end(); out.on('close', () => res()); });
  return n;
}

async function run(path: string, readAhead: boolean, bufferSize: number): Promise<{ packets: number; payload: number; ok: number; seconds: number; heapDelta: number }> {
  const diag = new Diagnostics();
  const view = newPacketView();
  let payload = 0, ok = 0, sink = 0;
  const work = WORK_BYTES;
  const onPacket = (rec: PacketRecord): void => {
    if (decodePacket(rec, view) === DecodeStatus.ok) {
      ok++;
      payload += view.payloadEnd - view.payloadStart;
      // optional stand-in for pipeline work: touch `work` payload bytes per packet
      const d = view.data, e = Math.min(view.payloadEnd, view.payloadStart + work);
      let acc = 0;
      for (let i = view.payloadStart; i < e; i++) acc = (acc + d[i]) | 0;
      sink ^= acc;
    }
  };
  const heap0 = process.memoryUsage().heapUsed;
  const t = process.hrtime.bigint();
  const reader = await openCapture(await fileByteSource(path), { path, fileIndex: 0, limits: DEFAULT_LIMITS, diag, readAhead, bufferSize });
  await forEachPacket([reader], onPacket);
  await reader.close();
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (sink === 0.5) process.stdout.write('');
  return { packets: reader.stats.packets, payload, ok, seconds, heapDelta: process.memoryUsage().heapUsed - heap0 };
}

async function main(): Promise<void> {
  const sizeMB = Number(process.argv[2] ?? 500);
  const payload = Number(process.argv[3] ?? 1460);
  const format = (process.argv[4] ?? 'pcap') as Format;
  const bufferSize = Number(process.argv[5] ?? 2) * 1024 * 1024;
  const modes = [true, false];
  const path = join(tmpdir(), `bench-reader-${process.pid}.${format === 'gzip' ? 'pcap.gz' : format}`);
  try {
    const n = await writeCapture(path, sizeMB, payload, format);
    const size = (await stat(path)).size;
    process.stdout.write(`${format}: ${n} packets of ${payload + 54} bytes, file ${(size / 1e6).toFixed(0)} MB\n`);
    const runs = Number(process.env.BENCH_RUNS ?? 6);
    const best = new Map<boolean, number>();
    for (let i = 0; i < runs; i++) {
      const readAhead = modes[i % 2];
      const r = await run(path, readAhead, bufferSize);
      const gbps = (format === 'gzip' ? (n * (payload + 70)) : size) / r.seconds / 1e9;
      best.set(readAhead, Math.max(best.get(readAhead) ?? 0, gbps));
      process.stdout.write(`run ${i + 1} (${readAhead ? 'read-ahead' : 'single buffer'}, ${bufferSize >> 20} MiB): ${r.seconds.toFixed(3)} s, ${gbps.toFixed(2)} GB/s (uncompressed), ${(r.packets / r.seconds / 1e6).toFixed(2)} Mpkt/s, ok=${r.ok}, heap Δ ${(r.heapDelta / 1e6).toFixed(1)} MB\n`);
    }
    process.stdout.write(`best: read-ahead ${(best.get(true) ?? 0).toFixed(2)} GB/s, single buffer ${(best.get(false) ?? 0).toFixed(2)} GB/s\n`);
  } finally {
    await rm(path, { force: true });
  }
}

await main();
