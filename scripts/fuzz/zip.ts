/**
 * A tiny ZIP writer (PKWARE APPNOTE.TXT 6.3: §4.3.7 local file header, §4.3.9 data descriptor,
 * §4.3.12 central directory header, §4.3.16 end of central directory) for bundle seeds, with
 * hostile options: lying sizes (0xffffffff without Zip64), data descriptors, wrong CRCs.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { ascii, concat, u16le, u32le } from './bytes.js';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflate */
  method?: 0 | 8;
  /** sizes written instead of the real ones (local and central headers) */
  lieSizes?: { csize?: number; usize?: number };
  /** flag bit 3: sizes 0 in the local header, a data descriptor after the data */
  descriptor?: boolean;
}

export function zipArchive(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = method === 8 ? new Uint8Array(deflateRawSync(e.data)) : e.data;
    const crc = crc32(e.data) >>> 0;
    const csize = e.lieSizes?.csize ?? body.length;
    const usize = e.lieSizes?.usize ?? e.data.length;
    const name = ascii(e.name);
    const flags = e.descriptor ? 0x0008 : 0;
    const head = concat([u32le(0x04034b50), u16le(20), u16le(flags), u16le(method), u16le(0), u16le(0x5a21),
      u32le(e.descriptor ? 0 : crc), u32le(e.descriptor ? 0 : csize), u32le(e.descriptor ? 0 : usize), u16le(name.length), u16le(0), name]);
    const desc = e.descriptor ? concat([u32le(0x08074b50), u32le(crc), u32le(csize), u32le(usize)]) : new Uint8Array(0);
    locals.push(head, body, desc);
    centrals.push(concat([u32le(0x02014b50), u16le(20), u16le(20), u16le(flags), u16le(method), u16le(0), u16le(0x5a21),
      u32le(crc), u32le(csize), u32le(usize), u16le(name.length), u16le(0), u16le(0), u16le(0), u16le(0), u32le(0), u32le(offset), name]));
    offset += head.length + body.length + desc.length;
  }
  const cd = concat(centrals);
  const eocd = concat([u32le(0x06054b50), u16le(0), u16le(0), u16le(entries.length), u16le(entries.length), u32le(cd.length), u32le(offset), u16le(0)]);
  return concat([...locals, cd, eocd]);
}
