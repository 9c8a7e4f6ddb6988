import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInputs } from '../../../src/input/archive.js';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { makeTar, makeZip, pcapBytes, pcapngBytes } from './build-archives.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsx-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function usageError(paths: string[]): Promise<UsageError> {
  try {
    await resolveInputs(paths);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('no UsageError');
}

describe('resolveInputs', () => {
  it('classifies files by magic, not by extension', async () => {
    const tarball = await makeTar([{ name: 'a.log', data: 'x\n' }]);
    const inputs = [
      file('cap.bin', pcapBytes()),
      file('cap.txt', pcapngBytes()),
      file('cap.pcap.gz', gzipSync(pcapBytes())),
      file('bundle.dat', gzipSync(tarball)),
      file('bundle.tar', tarball),
      file('bundle.zip', makeZip([{ name: 'a.log', data: 'x\n' }])),
      file('ca.crt', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'),
      file('loggingsnapshot.pcap', '2022-07-11T18:55:26.016+02:00 vcsc tvcs: x\n'),
      file('diags.log.gz', gzipSync('[Nov 26 20:59:21.637] [ET_NET 1] NOTE: x\n')),
    ];
    expect((await resolveInputs(inputs)).map((r) => r.kind)).toEqual(['capture', 'capture', 'capture', 'archive', 'archive', 'archive', 'pem', 'log', 'log']);
  });

  it('a folder with a capture (or an archive) is a folder input', async () => {
    const d = join(dir, 'with-capture');
    mkdirSync(join(d, 'deep'), { recursive: true });
    writeFileSync(join(d, 'notes.txt'), 'hello\n');
    writeFileSync(join(d, 'deep', 'x.bin'), pcapBytes());
    expect(await resolveInputs([d])).toEqual([{ path: d, kind: 'folder' }]);
  });

  it('missing path → inputMissing', async () => {
    const e = await usageError([join(dir, 'nope.pcap')]);
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expect(e.message).toContain('nope.pcap');
  });

  it('folder without anything usable → inputMissing "no capture found in <dir>"', async () => {
    const d = join(dir, 'empty-ish');
    mkdirSync(d);
    writeFileSync(join(d, 'readme.txt'), 'nothing here\n');
    const e = await usageError([d]);
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expect(e.message).toBe(`no capture found in ${d}`);
  });

  it('empty or unrecognised file → notCapture', async () => {
    expect((await usageError([file('empty.pcap', '')])).exitCode).toBe(ExitCode.notCapture);
    const bin = await usageError([file('random.bin', Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0, 0, 0, 9]))]);
    expect(bin.exitCode).toBe(ExitCode.notCapture);
    const bz = await usageError([file('bundle.tar.bz2', Buffer.from('BZh91AY&SY\0\0\0', 'latin1'))]);
    expect(bz.message).toContain('bzip2');
  });

  it('unreadable file → inputMissing', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const p = file('secret.pcap', pcapBytes());
    chmodSync(p, 0);
    expect((await usageError([p])).exitCode).toBe(ExitCode.inputMissing);
  });
});
