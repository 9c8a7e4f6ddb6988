/**
 * Mutations for text inputs: logs (NUL bytes, CR-only line ends, invalid UTF-8, very long lines,
 * unterminated quotes, lines cut mid-timestamp) and PEM trust stores (DER inside the base64 mutated
 * with the binary operators, broken armour, binary junk).
 */
import { ascii, concat, derToPem, pemToDers } from './bytes.js';
import { mutateBytes, type Mutation, type Operator } from './mutate.js';
import type { Rng } from './rng.js';

function lineStarts(b: Uint8Array): number[] {
  const out = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) out.push(i + 1);
  return out;
}

function insertAt(b: Uint8Array, o: number, ins: Uint8Array): Uint8Array {
  return concat([b.subarray(0, o), ins, b.subarray(o)]);
}

const nulBytes: Operator = (b, rng) => {
  const o = rng.int(b.length + 1);
  const n = rng.pick([1, 2, 16, 4096]);
  return { bytes: insertAt(b, o, new Uint8Array(n)), desc: `nul@${o}x${n}` };
};

const longLine: Operator = (b, rng) => {
  const starts = lineStarts(b);
  const o = rng.pick(starts);
  const n = rng.pick([65535, 65536, 65537, 200_000, 1 << 20]);
  const fill = rng.pick([0x41, 0x22, 0x3d, 0x20, 0x00]);
  const prefix = rng.chance(0.5) ? ascii('2027-03-01T14:58:19.100+02:00 expc1 traffic_server[1]: Detail="') : new Uint8Array(0);
  return { bytes: insertAt(b, o, concat([prefix, new Uint8Array(n).fill(fill)])), desc: `longLine@${o}x${n}(${fill})` };
};

const lineEnds: Operator = (b, rng) => {
  const out = b.slice();
  const mode = rng.int(3);
  if (mode === 0) for (let i = 0; i < out.length; i++) if (out[i] === 0x0a) out[i] = 0x0d;
  if (mode === 1) return { bytes: new Uint8Array(Buffer.from(Buffer.from(b).toString('latin1').replace(/\n/g, '\r\n'), 'latin1')), desc: 'crlf' };
  if (mode === 2) return { bytes: out.filter((c) => c !== 0x0a), desc: 'noNewlines' };
  return { bytes: out, desc: 'crOnly' };
};

const badUtf8: Operator = (b, rng) => {
  const o = rng.int(b.length + 1);
  const junk = rng.pick([Uint8Array.of(0xc3), Uint8Array.of(0xff, 0xfe), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xef, 0xbb, 0xbf), Uint8Array.of(0xf4, 0x90, 0x80, 0x80)]);
  return { bytes: insertAt(b, o, junk), desc: `badUtf8@${o}` };
};

const textTokens: Operator = (b, rng) => {
  const starts = lineStarts(b);
  const o = rng.pick(starts);
  const tok = rng.pick([
    'Txn-id="', 'Dst-port="99999999999999999999" ', 'Dst-ip="::::::::" ', 'UTCTime="9999-99-99 99:99:99,999" ',
    '2025-13-45T25:61:61.999+99:99 ', 'depth=-1 ', 'server=(', 'SNI () not in certificate. Action=', 'HTTPMSG:\n|',
    "SSL connection failed for '", 'Core server certificate verification failed for (', '[Sep 99 99:99:99.999] ',
    '\u202e\u0000\uffff', '%s%n%x', '${jndi:x}', '2027-03-01T14:58:19.100+02:00 ',
  ]);
  const times = rng.chance(0.8) ? 1 : rng.range(2, 5000);
  return { bytes: insertAt(b, o, ascii(tok.repeat(times))), desc: `token@${o}:${JSON.stringify(tok.slice(0, 20))}x${times}` };
};

/**
 * A long run of one blank-like or delimiter character inside a line (after a field's `=`, inside
 * parentheses, after the syslog head): the shape that made several patterns backtrack quadratically
 * or worse (2,000 blanks after `failed for (` took 7 s).
 */
const fillRun: Operator = (b, rng) => {
  const starts = lineStarts(b);
  const line = rng.int(starts.length);
  const from = starts[line];
  const to = line + 1 < starts.length ? starts[line + 1] - 1 : b.length;
  // a field boundary of that line when there is one, else anywhere in it
  const marks: number[] = [];
  for (let i = from; i < to; i++) if (b[i] === 0x3d || b[i] === 0x28 || b[i] === 0x3a || b[i] === 0x20 || b[i] === 0x5b) marks.push(i + 1);
  const o = marks.length > 0 && rng.chance(0.8) ? rng.pick(marks) : from + rng.int(Math.max(1, to - from + 1));
  const n = rng.pick([2000, 20_000, 60_000]);
  const fill = rng.pick([0x20, 0x09, 0x0b, 0x3d, 0x28, 0x5f, 0x22]);
  const cut = rng.chance(0.5); // the rest of the line dropped: the pattern must fail, not match
  const rest = cut ? b.subarray(to) : b.subarray(o);
  return { bytes: concat([b.subarray(0, o), new Uint8Array(n).fill(fill), rest]), desc: `fillRun@${o}x${n}(${fill})${cut ? 'cut' : ''}` };
};

export const LOG_OPS: readonly (readonly [number, Operator])[] = [[3, nulBytes], [2, longLine], [1, lineEnds], [2, badUtf8], [4, textTokens], [3, fillRun]];

/** Mutate one certificate inside a PEM bundle (binary operators on its DER), or the armour itself. */
export function mutatePem(b: Uint8Array, rng: Rng): Mutation {
  const text = Buffer.from(b).toString('latin1');
  const ders = pemToDers(text);
  const r = rng.int(10);
  if (r < 6 && ders.length > 0) {
    const i = rng.int(ders.length);
    const m = mutateBytes(ders[i], rng, 'capture');
    const out = ders.map((d, k) => derToPem(k === i ? m.bytes : d)).join('');
    return { bytes: ascii(out), desc: `pem[${i}].der ${m.desc}` };
  }
  if (r === 6) return { bytes: ascii(text.replace(/-----END CERTIFICATE-----\n?$/, '')), desc: 'pem.noEnd' };
  if (r === 7) return { bytes: ascii(text.replace(/[A-Za-z0-9+/]{8}/, '!!!!====')), desc: 'pem.badBase64' };
  if (r === 8) return { bytes: concat([b, ders[0] ?? new Uint8Array(0)]), desc: 'pem.appendDer' };
  return { bytes: ascii(`${text}-----BEGIN CERTIFICATE-----\n${'QUFB'.repeat(rng.range(1, 100_000))}\n-----END CERTIFICATE-----\n`), desc: 'pem.hugeJunkCert' };
}

export function mutateLog(b: Uint8Array, rng: Rng): Mutation {
  const ops = LOG_OPS;
  const n = rng.range(1, 3);
  let cur = b;
  const descs: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = rng.chance(0.75) ? rng.weighted(ops)(cur, rng, []) : mutateBytes(cur, rng, 'text');
    cur = m.bytes;
    descs.push(m.desc);
  }
  return { bytes: cur, desc: descs.join(' ') };
}
