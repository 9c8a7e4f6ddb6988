/**
 * Handshake messages that declare their largest size and never deliver it: 2,000 connections each
 * send a record whose ClientHello header says 1 MiB, then 100 bytes. The assembler's buffer grows with
 * the bytes that arrive (handshake-assembler.ts FIRST_BUFFER), so these hold a few KB each: no
 * connection is evicted for the global buffer budget. When each took a buffer of the declared size,
 * the 64 MiB budget was full after 64 connections and the other 1,936 were evicted (5,000 such
 * connections: 4 s, 250 MB RSS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/pipeline.js';
import { ethernetFrame, TCP, type TcpSegment } from '../../../scripts/fuzz/packets.js';
import { pcapHeader, pcapRecord } from '../../../scripts/fuzz/capture-writers.js';

const FLOWS = 2000;
let dir = '';
let path = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-extract-declared-'));
  path = join(dir, 'declared.pcap');
  const parts: Uint8Array[] = [pcapHeader({ linkType: 1 })];
  let ts = Date.UTC(2025, 0, 1) * 1000;
  const rec = (s: TcpSegment) => parts.push(pcapRecord({ data: ethernetFrame(s), tsMicros: ts++ }, { linkType: 1 }));
  // a handshake record of 16 KiB whose ClientHello declares 0x0fffff bytes, then 100 bytes of it
  const body = new Uint8Array(5 + 4 + 100);
  body.set([22, 3, 3, 0x40, 0x00, 1, 0x0f, 0xff, 0xff]);
  for (let f = 0; f < FLOWS; f++) {
    const a = `10.1.${f >> 8}.${f & 255}`, port = 10000 + f;
    const c = { src: a, dst: '10.0.0.2', sport: port, dport: 443 };
    const s = { src: '10.0.0.2', dst: a, sport: 443, dport: port };
    rec({ ...c, seq: 1000, ack: 0, flags: TCP.SYN });
    rec({ ...s, seq: 5000, ack: 1001, flags: TCP.SYN | TCP.ACK });
    rec({ ...c, seq: 1001, ack: 5001, flags: TCP.ACK });
    rec({ ...c, seq: 1001, ack: 5001, flags: TCP.ACK | TCP.PSH, payload: body });
  }
  writeFileSync(path, Buffer.concat(parts));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ClientHellos declaring 1 MiB and sending 100 bytes, on 2,000 connections', () => {
  it('hold what arrived, not what was declared: none evicted for the buffer budget, each reported cut', async () => {
    const { report } = await analyze([path], {});
    expect(report.connections).toHaveLength(FLOWS);
    expect(report.diagnostics.find((d) => d.key === 'limit.total_buffered')).toBeUndefined();
    expect(report.connections.filter((c) => c.notes.some((n) => n.startsWith('evicted')))).toHaveLength(0);
    expect(report.connections.every((c) => c.notes.includes('client client_hello incomplete (1048475 of 1048575 bytes missing)'))).toBe(true);
  }, 60_000);
});
