/**
 * rfc6125NameCheckLists against OpenSSL itself: node's X509Certificate.checkHost is
 * X509_check_host with OpenSSL's default flags (wildcards and partial wildcards allowed, no
 * multi-label wildcards, the commonName used only when no DNS SAN exists), and checkIP is
 * X509_check_ip_asc. Certificates are built in memory (unsigned: the name check reads no signature).
 *
 * One kind of host name is left out because we differ from X509_check_host on purpose: a name
 * starting with '.' (X509_check_host reads it as "any sub-domain of", a client-side pattern that no SNI
 * or origin host name can be). Trailing dots are compared as OpenSSL compares them.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpLiteral } from '../../../src/x509/extensions.js';
import { rfc6125NameCheckLists } from '../../../src/x509/hostname.js';
import { buildCert, cnName, d, name as dn, OID, sanExt, spkiOf } from './build-cert.js';

const spki = spkiOf(generateKeyPairSync('ed25519').publicKey);

function cert(dns: string[], cns: string[], ips: Uint8Array[] = []): X509Certificate {
  const subject = cns.length === 0 ? cnName('') : dn(cns.map((cn) => [[OID.CN, d.utf8(cn)] as [string, Uint8Array]]));
  const extensions = dns.length + ips.length > 0 ? [sanExt(dns, ips)] : [];
  return new X509Certificate(Buffer.from(buildCert({ subject, spki, extensions })));
}

/** What OpenSSL answers: an IP literal goes to X509_check_ip_asc, any other name to X509_check_host. */
function openssl(c: X509Certificate, host: string): boolean {
  return parseIpLiteral(host) ? c.checkIP(host) !== undefined : c.checkHost(host) !== undefined;
}

function ours(dns: string[], cns: string[], host: string, ips: string[] = []): boolean {
  return rfc6125NameCheckLists(dns, ips, cns.filter((cn) => cn !== ''), host);
}

// [DNS SANs, CNs, host]: boundary cases of OpenSSL's valid_star / wildcard_match / X509_check_host
const cases: [string[], string[], string][] = [
  [['*.example.com'], [], 'www.example.com'],
  [['*.example.com'], [], 'example.com'],
  [['*.example.com'], [], 'a.b.example.com'],
  [['*.Example.COM'], [], 'WWW.example.com'],
  [['*.com'], [], 'example.com'],
  [['*.a.b'], [], 'x.a.b'],
  [['*'], [], 'host'],
  [['*.'], [], 'a.'],
  [['a*.example.com'], [], 'abc.example.com'],
  [['a*.example.com'], [], 'a.example.com'],
  [['*a.example.com'], [], 'ba.example.com'],
  [['*a.example.com'], [], 'a.example.com'],
  [['a*b.example.com'], [], 'axb.example.com'],
  [['a*b.example.com'], [], 'ab.example.com'],
  [['a*b.example.com'], [], 'aXXb.example.com'],
  [['f*.example.com'], [], 'F.example.com'],
  [['**.example.com'], [], 'ab.example.com'],
  [['**.example.com'], [], '*ab.example.com'],
  [['axn--b*.example.com'], [], 'axn--bc.example.com'],
  [['xn--a*.example.com'], [], 'xn--a*.example.com'],
  [['a-.example.com'], [], 'ab.example.com'],
  [['.b.example.com'], [], '.x.example.com'],
  [['*.*.example.com'], [], 'a.b.example.com'],
  [['www.*.com'], [], 'www.example.com'],
  [['*.example.com'], [], '*.example.com'],
  [['a*.example.com'], [], 'a*.example.com'],
  [['*.example.com'], [], 'a_b.example.com'],
  [['*.example.com'], [], 'a-b.example.com'],
  [['*.example.com'], [], 'a b.example.com'],
  [['*.xn--bcher-kva.ch'], [], 'www.xn--bcher-kva.ch'],
  [['xn--*.example.com'], [], 'xn--bcher-kva.example.com'],
  [['xn--a*.example.com'], [], 'xn--ab.example.com'],
  [['XN--a*.example.com'], [], 'xn--ab.example.com'],
  [['xn-*.example.com'], [], 'xn-ab.example.com'],
  [['x*.example.com'], [], 'xn--ab.example.com'],
  [['*.example.com'], [], 'xn--bcher-kva.example.com'],
  [['*.example.com'], [], 'XN--bcher-kva.example.com'],
  [['*n--.example.com'], [], 'xn--.example.com'],
  [['x*.example.com'], [], 'xn--.example.com'],
  [['*-a.example.com'], [], 'b-a.example.com'],
  [['a-*.example.com'], [], 'a-b.example.com'],
  [['-*.example.com'], [], '-b.example.com'],
  [['*-.example.com'], [], 'a-.example.com'],
  [['*.-example.com'], [], 'a.-example.com'],
  [['*.example-.com'], [], 'a.example-.com'],
  [['*.example.com-'], [], 'a.example.com-'],
  [['*..example.com'], [], 'a..example.com'],
  [['*.example..com'], [], 'a.example..com'],
  [['*.example.com.'], [], 'a.example.com'],
  [['*.exa_mple.com'], [], 'a.exa_mple.com'],
  [['*.ex*ample.com'], [], 'a.ex*ample.com'],
  [['a.example.com.'], [], 'a.example.com'],
  [['a.example.com'], [], '.'],
  [['.'], [], '.'],
  [['a\0.example.com'], [], 'a'],
  [['*\0.example.com'], [], 'a.example.com'],
  [['host.example'], [], 'HOST.EXAMPLE'],
  [['host.example'], [], 'host.exampl'],
  [['host.example'], [], 'host.examplf'],
  [['Z.example'], [], 'z.example'],
  [['@.example'], [], '`.example'],
  [['[.example'], [], '{.example'],
  [['other.example'], ['host.example'], 'host.example'],
  [['other.example', 'host.example'], [], 'host.example'],
  [['host.example', 'other.example'], [], 'host.example'],
  [[], ['host.example'], 'host.example'],
  [[], ['*.example.com'], 'www.example.com'],
  [[], ['first.example', 'second.example'], 'second.example'],
  [[], ['10.0.0.1'], '10.0.0.1'],
  [['10.0.0.1'], [], '10.0.0.1'],
  [[], [], 'host.example'],
];

describe('rfc6125NameCheckLists agrees with OpenSSL X509_check_host / X509_check_ip_asc', () => {
  it.each(cases)('SANs %j, CNs %j, host %j', (dns, cns, host) => {
    expect(ours(dns, cns, host)).toBe(openssl(cert(dns, cns), host));
  });

  it('a name with a NUL byte, or an empty name, matches nothing', () => {
    // X509_check_host refuses (-2) a name with an embedded NUL, and skips empty SAN strings
    expect(ours(['a\0b.example'], [], 'a\0b.example')).toBe(false);
    expect(ours(['*.exa\0mple.com'], [], 'a.exa\0mple.com')).toBe(false);
    expect(ours([''], [], '')).toBe(false);
    expect(ours([], ['\0'], '\0')).toBe(false);
  });

  it('IP addresses match iPAddress SANs only, in any textual form', () => {
    const ip = (s: string) => parseIpLiteral(s)!;
    const c = cert(['10.0.0.1'], [], [ip('10.0.0.2'), ip('2001:db8::1')]);
    for (const host of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '2001:db8::1', '2001:DB8:0::1', '2001:db8::2']) {
      expect(ours(['10.0.0.1'], [], host, ['10.0.0.2', '2001:db8::1']), host).toBe(openssl(c, host));
    }
  });

  it('random patterns and host names (fast-check)', () => {
    const token = fc.constantFrom('a', 'b', 'B', '1', '-', '_', '*', '.', '.c', 'xn--', 'XN--', 'x', 'n', ' ');
    const label = fc.array(token, { minLength: 0, maxLength: 8 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.array(label, { maxLength: 2 }), fc.array(label.filter((s) => s !== ''), { maxLength: 2 }), label, fc.constantFrom('', '.ex.c', '.c', '.c.', '.'), (dns, cns, host, tail) => {
        const h = host + tail;
        if (h === '' || (h.length > 1 && h.startsWith('.'))) return;
        expect(ours(dns, cns, h)).toBe(openssl(cert(dns, cns), h));
      }),
      { numRuns: 1500, seed: 6125 },
    );
  });
});
