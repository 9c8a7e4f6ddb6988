/**
 * Differential test: every classic µs pcap (magic a1b2c3d4, either byte order) under samples/ and the
 * shared public corpus is read by our reader and by pcap-parser 0.2.1 (independent reference), and
 * the packets must be identical (count, timestamps, lengths, bytes). pcap-parser stops at a corrupt
 * record (it buffers to EOF), while we resynchronise: there only its packets are compared as a prefix.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileByteSource } from '../../../src/capture/byte-source.js';
import { openCapture } from '../../../src/capture/open-capture.js';
import { forEachPacket } from '../../../src/capture/for-each-packet.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { collector, type Collected } from './support.js';

interface RefPacket { header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number }; data: Buffer }
interface RefParser { on(ev: 'packet', f: (p: RefPacket) => void): RefParser; on(ev: 'end', f: () => void): RefParser; on(ev: 'error', f: (e: Error) => void): RefParser }
const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(path: string): RefParser };

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const roots = [join(repo, 'samples'), join(repo, '..', 'shared', 'corpus', 'public')].filter((d) => existsSync(d));

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile() && st.size >= 24) yield p;
  }
}

function isMicrosecondPcap(path: string): boolean {
  const b = readFileSync(path).subarray(0, 4);
  const m = b.length === 4 ? b.readUInt32BE(0) : 0;
  return m === 0xa1b2c3d4 || m === 0xd4c3b2a1;
}

const files = roots.flatMap((r) => [...walk(r)].filter(isMicrosecondPcap).map((p) => ({ root: r, path: p })));

function reference(path: string): Promise<{ packets: RefPacket[]; error: Error | null }> {
  return new Promise((resolve) => {
    const packets: RefPacket[] = [];
    let error: Error | null = null;
    pcapParser.parse(path)
      .on('packet', (p) => packets.push({ header: p.header, data: Buffer.from(p.data) }))
      .on('error', (e) => { error = e; })
      .on('end', () => resolve({ packets, error }));
  });
}

async function ours(path: string): Promise<{ packets: Collected[]; diag: Diagnostics }> {
  const diag = new Diagnostics();
  const r = await openCapture(await fileByteSource(path), { path, fileIndex: 0, limits: DEFAULT_LIMITS, diag });
  const c = collector();
  await forEachPacket([r], c.on);
  await r.close();
  return { packets: c.list, diag };
}

describe.skipIf(files.length === 0)('classic pcap: our reader vs pcap-parser', () => {
  it.each(files.map((f) => [relative(f.root, f.path), f.path]))('%s', async (_name, path) => {
    const [ref, mine] = await Promise.all([reference(path), ours(path)]);
    const corrupt = mine.diag.count('capture.bad_caplen') > 0;
    if (corrupt) expect(mine.packets.length).toBeGreaterThanOrEqual(ref.packets.length);
    else expect(mine.packets.length).toBe(ref.packets.length);
    expect(ref.packets.length).toBeGreaterThan(0);
    for (let i = 0; i < ref.packets.length; i++) {
      const h = ref.packets[i].header;
      const p = mine.packets[i];
      expect(p.tsMicros, `packet ${i + 1} ts`).toBe(h.timestampSeconds * 1e6 + h.timestampMicroseconds);
      expect(p.caplen, `packet ${i + 1} caplen`).toBe(h.capturedLength);
      expect(p.origlen, `packet ${i + 1} origlen`).toBe(Math.max(h.originalLength, h.capturedLength));
      expect(Buffer.from(p.bytes).equals(ref.packets[i].data), `packet ${i + 1} bytes`).toBe(true);
    }
  });
});
