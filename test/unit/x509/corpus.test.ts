/**
 * Real certificates with odd corners, taken from the public corpus in /work/shared (never copied
 * into the repo): extracted with tshark at test time. Skipped when the corpus or tshark is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCertificate, metaOf } from '../../../src/x509/analyze.js';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { hasTool } from '../../helpers/tools.js';

const CORPUS = '/work/shared/corpus/public';


const enabled = existsSync(CORPUS) && hasTool('tshark', '-v');

/** Server certificates of a capture as tshark decodes them (hex, comma-separated per message). */
function certsOf(file: string): Uint8Array[] {
  const out = execFileSync('tshark', ['-r', join(CORPUS, file), '-Y', 'tls.handshake.certificate', '-T', 'fields', '-e', 'tls.handshake.certificate'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split(/[\s,]+/).filter(Boolean).map((h) => Uint8Array.from(Buffer.from(h, 'hex')));
}

/** The first Certificate message of TCP stream 0, server side, reassembled by hand (tshark 4.0 cannot). */
function certsFromStream(file: string): Uint8Array[] {
  const text = execFileSync('tshark', ['-r', join(CORPUS, file), '-q', '-z', 'follow,tcp,raw,0'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const server = Buffer.from(text.split('\n').filter((l) => l.startsWith('\t')).map((l) => l.trim()).join(''), 'hex');
  const chunks: Buffer[] = [];
  for (let i = 0; i + 5 <= server.length; ) {
    const len = server.readUInt16BE(i + 3);
    if (server[i] === 22) chunks.push(server.subarray(i + 5, i + 5 + len));
    i += 5 + len;
  }
  const hs = Buffer.concat(chunks);
  for (let j = 0; j + 4 <= hs.length; ) {
    const len = hs.readUIntBE(j + 1, 3);
    if (hs[j] === 11) {
      const body = hs.subarray(j + 4, j + 4 + len);
      const certs: Uint8Array[] = [];
      for (let k = 3; k + 3 <= body.length; ) {
        const cl = body.readUIntBE(k, 3);
        certs.push(Uint8Array.from(body.subarray(k + 3, k + 3 + cl)));
        k += 3 + cl;
      }
      return certs;
    }
    j += 4 + len;
  }
  return [];
}

describe.skipIf(!enabled)('odd certificates from the public corpus', () => {
  it('issuer with a NUL byte (suricata-verify/tls-issuer-zero.pcap)', () => {
    const leaf = certsOf('suricata-verify/tls-issuer-zero.pcap').map((d) => analyzeCertificate(d, true)).find((p) => p.facts.subject_cn === 'go.microsoft.com')!;
    expect(leaf.facts.issuer).toBe('CN=Microsoft RSA TL\\00 CA 01,O=Microsoft Corporation,C=US');
  });

  it('validity starting before 1970 (suricata-verify/tls-pre-1970.pcap)', () => {
    const [leaf] = certsOf('suricata-verify/tls-pre-1970.pcap').map((d) => analyzeCertificate(d, true));
    expect(leaf.facts.not_before).toBe('1969-12-31T00:00:00.000Z');
    expect(leaf.facts.not_after).toBe('2038-12-31T00:10:03.000Z');
  });

  it('explicit curve parameters, CVE-2020-0601 (ja4/badcurveball.pcap)', () => {
    const [leaf, root] = certsOf('ja4/badcurveball.pcap').map((d) => analyzeCertificate(d, true));
    expect(root.facts.key).toEqual({ type: 'ECDSA', bits: 384, curve: 'explicit' });
    expect(root.facts.self_signed).toBe(true);
    expect(leaf.facts.key.curve).toBe('P-384');
    // with that root as the trust anchor, node:crypto verifies the leaf's signature over the explicit
    // curve; OpenSSL 3 only adds error 94 (explicit parameters) at depth 1, which 1.1.1 and we do not
    const at = Date.parse('2020-02-01T00:00:00Z');
    const v = validateChain({ presented: [leaf, root], store: { paths: [], certs: [root], errors: [] }, atMs: at, nowMs: at, checkedName: null, checkedNameSource: null, visible: true });
    expect(v.status).toBe('trusted');
    expect(v.chain).toEqual([leaf.sha256, root.sha256]);
  });

  it('ML-DSA-44 key and signature (zeek/ml-dsa-44-cert.pcap)', () => {
    const [c] = certsOf('zeek/ml-dsa-44-cert.pcap').map((d) => analyzeCertificate(d, true));
    expect(c.facts.key.type).toBe('unknown');
    expect(c.facts.signature_algorithm).toBe('ML-DSA-44');
    expect(c.facts.subject).toBe('CN=ml-dsa.example.com,O=PQC-Test,C=US');
  });

  it('no CN (zeek/cert-no-cn.pcap)', () => {
    const [c] = certsOf('zeek/cert-no-cn.pcap').map((d) => analyzeCertificate(d, true));
    expect(c.facts.subject).toBe('O=TestCorp');
    expect(c.facts.subject_cn).toBeNull();
  });

  it('10,000 SANs in a fragmented handshake (zeek/tls-fragmented-handshake.pcap)', () => {
    const [c] = certsFromStream('zeek/tls-fragmented-handshake.pcap').map((d) => analyzeCertificate(d, true));
    expect(c.sha256).toBe('af4a46e989dc24078ee2a205490856e059e7f2f9d2114cec4d4c44974add9d34');
    expect(c.facts.subject).toBe('CN=Bro');
    expect(c.facts.san.dns).toHaveLength(1000);
    expect(metaOf(c).allDnsSans).toHaveLength(10_000);
    expect(c.facts.san.dns[0]).toBe('1.alt.helloIamADomain.example');
  });
});
