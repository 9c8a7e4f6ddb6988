import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileByteSource, iterableByteSource } from '../../../src/capture/byte-source.js';
import { forEachPacket } from '../../../src/capture/for-each-packet.js';
import { openCapture } from '../../../src/capture/open-capture.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { writePcap, writePcapng } from '../../helpers/pcap-writer.js';
import { chunks, collector } from './support.js';

let dir = '';
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tls-extract-capture-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function openPath(path: string) {
  return openCapture(await fileByteSource(path), { path, fileIndex: 0, limits: DEFAULT_LIMITS, diag: new Diagnostics() });
}

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(UsageError);
  return e as UsageError;
}

describe('fileByteSource', () => {
  it('reports a missing path with ExitCode.inputMissing and the path in the message', async () => {
    const e = await usageError(fileByteSource(join(dir, 'nope.pcap')));
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expect(e.message).toBe(`${join(dir, 'nope.pcap')}: no such file`);
  });

  it('reports a directory with ExitCode.inputMissing', async () => {
    await mkdir(join(dir, 'sub'));
    const e = await usageError(fileByteSource(join(dir, 'sub')));
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expect(e.message).toMatch(/sub: is a directory/);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file with ExitCode.inputMissing', async () => {
    const p = join(dir, 'secret.pcap');
    await writeFile(p, writePcap([], { linkType: 1 }));
    await chmod(p, 0o000);
    const e = await usageError(fileByteSource(p));
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expect(e.message).toMatch(/permission denied/);
  });

  it('knows the size and reads sequentially to the end', async () => {
    const p = join(dir, 'ten.bin');
    await writeFile(p, new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const src = await fileByteSource(p);
    expect(src.size).toBe(10);
    const b = new Uint8Array(6);
    expect(await src.read(b, 0, 6)).toBe(6);
    expect(await src.read(b, 0, 6)).toBe(4);
    expect([...b.subarray(0, 4)]).toEqual([6, 7, 8, 9]);
    expect(await src.read(b, 0, 6)).toBe(0);
    await src.close();
  });
});

describe('iterableByteSource', () => {
  it('copies across chunk boundaries and returns 0 at the end', async () => {
    const src = iterableByteSource(chunks(new Uint8Array([1, 2, 3, 4, 5]), 2), 5);
    const b = new Uint8Array(8);
    let n = 0;
    for (let r; (r = await src.read(b, n, 8 - n)) > 0; ) n += r;
    expect([...b.subarray(0, n)]).toEqual([1, 2, 3, 4, 5]);
    expect(src.size).toBe(5);
  });
});

describe('openCapture', () => {
  it('rejects an empty file: UsageError "<path>: empty file", ExitCode.notCapture', async () => {
    const p = join(dir, 'empty.pcap');
    await writeFile(p, new Uint8Array(0));
    const e = await usageError(openPath(p));
    expect(e.message).toBe(`${p}: empty file`);
    expect(e.exitCode).toBe(ExitCode.notCapture);
  });

  it('rejects a text file even when it is named .pcap', async () => {
    const p = join(dir, 'notes.pcap');
    await writeFile(p, 'hello, this is not a capture\n');
    const e = await usageError(openPath(p));
    expect(e.message).toBe(`${p}: not a capture (pcap, pcapng or gzip of one)`);
    expect(e.exitCode).toBe(ExitCode.notCapture);
  });

  it('recognises content, not extension: a pcapng named .pcap and a pcap named .txt', async () => {
    const a = join(dir, 'really-pcapng.pcap');
    const b = join(dir, 'really-pcap.txt');
    await writeFile(a, writePcapng([new Uint8Array(4)], { linkType: 1 }));
    await writeFile(b, writePcap([new Uint8Array(4)], { linkType: 1 }));
    const ra = await openPath(a);
    const rb = await openPath(b);
    expect([ra.format, rb.format]).toEqual(['pcapng', 'pcap']);
    await ra.close(); await rb.close();
  });

  it('reads a file through fileByteSource with progress reporting the bytes read', async () => {
    const p = join(dir, 'three.pcap');
    const bytes = writePcap([new Uint8Array(100), new Uint8Array(200), new Uint8Array(300)], { linkType: 1 });
    await writeFile(p, bytes);
    const r = await openPath(p);
    const c = collector();
    const progress: number[] = [];
    await forEachPacket([r], c.on, (n) => progress.push(n));
    await r.close();
    expect(c.list.map((x) => x.caplen)).toEqual([100, 200, 300]);
    expect(progress[progress.length - 1]).toBe(bytes.length);
    expect(r.stats.bytesRead).toBe(bytes.length);
  });
});
