/**
 * Name-constraint matching (src/x509/name-constraints.ts) on hand-built DER: the rules of OpenSSL 3.0's
 * v3_ncons.c that `openssl req`'s configuration cannot express (minimum / maximum, unsupported name
 * types and syntax, SmtpUTF8Mailbox names, the comparison budget) and the byte-level edges of each
 * matcher. The common cases are compared with `openssl verify` in test/unit/trust/name-constraints-live.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  NC, certNames, checkCommonNames, checkNames, cnAsDnsId, constraintsText, decodeNameConstraints, hasDnsSan, type NameConstraints,
} from '../../../src/x509/name-constraints.js';

const len = (n: number): number[] => (n < 128 ? [n] : n < 256 ? [0x81, n] : n < 65536 ? [0x82, n >> 8, n & 255] : [0x83, n >> 16, (n >> 8) & 255, n & 255]);
const tlv = (tag: number, ...parts: (Uint8Array | number[])[]): Uint8Array => {
  const body = parts.flatMap((p) => [...p]);
  return Uint8Array.from([tag, ...len(body.length), ...body]);
};
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const utf8 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf8'));
const oid = (dotted: string): Uint8Array => {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0] + arcs[1]];
  for (const a of arcs.slice(2)) {
    const b = [a & 0x7f];
    for (let v = a >>> 7; v > 0; v >>>= 7) b.unshift(0x80 | (v & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, out);
};

const dns = (s: string) => tlv(0x82, ascii(s));
const email = (s: string) => tlv(0x81, ascii(s));
const uri = (s: string) => tlv(0x86, ascii(s));
const ip = (...octets: number[]) => tlv(0x87, octets);
const name = (...rdns: [string, number, string][]) => tlv(0x30, ...rdns.map(([o, tag, v]) => tlv(0x31, tlv(0x30, oid(o), tlv(tag, utf8(v))))));
const dirName = (n: Uint8Array) => tlv(0xa4, n);
const otherName = (typeId: string, value: Uint8Array) => tlv(0xa0, oid(typeId), tlv(0xa0, value));
const SMTP_UTF8 = '1.3.6.1.5.5.7.8.9';
const O = '2.5.4.10', CN = '2.5.4.3', EMAIL = '1.2.840.113549.1.9.1';

/** GeneralSubtree: base, then optional [0] minimum / [1] maximum */
const subtree = (base: Uint8Array, min?: number[], max?: number[]) =>
  tlv(0x30, base, ...(min ? [tlv(0x80, min)] : []), ...(max ? [tlv(0x81, max)] : []));
const constraints = (permitted: Uint8Array[], excluded: Uint8Array[] = []): NameConstraints => {
  const parts = [...(permitted.length > 0 ? [tlv(0xa0, ...permitted)] : []), ...(excluded.length > 0 ? [tlv(0xa1, ...excluded)] : [])];
  const nc = decodeNameConstraints(tlv(0x30, ...parts));
  if (nc === null) throw new Error('test constraints do not decode');
  return nc;
};
const sans = (...gns: Uint8Array[]) => tlv(0x30, ...gns);
/** checkNames over a certificate with only these SANs (and no subject) */
const check = (nc: NameConstraints, ...gns: Uint8Array[]) => checkNames(certNames(null, sans(...gns)), nc).code;

describe('dNSName constraints (nc_dns)', () => {
  it.each<[string, string, number]>([
    ['good.test', 'good.test', NC.ok],
    ['good.test', 'a.good.test', NC.ok],
    ['good.test', 'A.GOOD.TEST', NC.ok],
    ['good.test', 'notgood.test', NC.permittedViolation],
    ['.good.test', 'a.good.test', NC.ok],
    ['.good.test', 'xgood.test', NC.permittedViolation],
    ['.good.test', 'good.test', NC.permittedViolation],
    ['good.test', 'good.tes', NC.permittedViolation],
    ['good.test', 'good.testx', NC.permittedViolation],
    ['', 'anything.example', NC.ok],
  ])('permitted %j, name %j', (base, host, want) => {
    expect(check(constraints([subtree(dns(base))]), dns(host))).toBe(want);
  });

  it('excluded subtrees are checked after the permitted ones, and a name of another type is not compared', () => {
    const nc = constraints([subtree(dns('good.test'))], [subtree(dns('bad.good.test'))]);
    expect(check(nc, dns('x.bad.good.test'))).toBe(NC.excludedViolation);
    expect(check(nc, dns('x.good.test'))).toBe(NC.ok);
    expect(check(nc, ip(192, 168, 0, 1))).toBe(NC.ok); // no iPAddress subtree: unconstrained
    expect(check(nc, email('a@evil.test'))).toBe(NC.ok);
    // one matching permitted subtree among several is enough; the first violating name decides
    const two = constraints([subtree(dns('a.test')), subtree(dns('b.test'))]);
    expect(check(two, dns('x.b.test'), dns('y.a.test'))).toBe(NC.ok);
    expect(check(two, dns('x.b.test'), dns('c.test'))).toBe(NC.permittedViolation);
  });
});

describe('rfc822Name constraints (nc_email)', () => {
  it.each<[string, string, number]>([
    ['good.test', 'a@good.test', NC.ok],
    ['good.test', 'a@GOOD.test', NC.ok],
    ['good.test', 'a@x.good.test', NC.permittedViolation], // a host base is the whole host
    ['.good.test', 'a@x.good.test', NC.ok],
    ['.good.test', 'a@good.test', NC.permittedViolation],
    ['ops@good.test', 'ops@good.test', NC.ok],
    ['ops@good.test', 'Ops@good.test', NC.permittedViolation], // the local part is case-sensitive
    ['ops@good.test', 'dev@good.test', NC.permittedViolation],
    ['ops@good.test', 'opsx@good.test', NC.permittedViolation],
    ['@good.test', 'anyone@good.test', NC.ok],
    ['good.test', 'no-at-sign', NC.unsupportedNameSyntax],
  ])('permitted %j, address %j', (base, addr, want) => {
    expect(check(constraints([subtree(email(base))]), email(addr))).toBe(want);
  });

  it('a NUL in either local part is unsupported syntax, not a mismatch', () => {
    expect(check(constraints([subtree(email('o\0s@good.test'))]), email('o\0s@good.test'))).toBe(NC.unsupportedNameSyntax);
  });

  it('an SmtpUTF8Mailbox otherName is checked as an e-mail address, its host against the U-label form of the base', () => {
    const nc = constraints([subtree(email('xn--bcher-kva.test'))]);
    expect(check(nc, otherName(SMTP_UTF8, tlv(0x0c, utf8('u@bücher.test'))))).toBe(NC.ok);
    expect(check(nc, otherName(SMTP_UTF8, tlv(0x0c, utf8('u@other.test'))))).toBe(NC.permittedViolation);
    expect(check(nc, otherName(SMTP_UTF8, tlv(0x16, ascii('u@bücher.test'))))).toBe(NC.unsupportedNameSyntax); // not a UTF8String
    expect(check(nc, otherName(SMTP_UTF8, tlv(0x0c, utf8('no-at'))))).toBe(NC.unsupportedNameSyntax);
    const dot = constraints([subtree(email('.bücher.test'.replace('bücher', 'xn--bcher-kva')))]);
    // OpenSSL 3.0 compares a '.domain' base as '..domain' (see name-constraints-eai-live.test.ts)
    expect(check(dot, otherName(SMTP_UTF8, tlv(0x0c, utf8('u@mail.bücher.test'))))).toBe(NC.permittedViolation);
    expect(check(dot, otherName(SMTP_UTF8, tlv(0x0c, utf8('u@mail..bücher.test'))))).toBe(NC.ok);
    expect(check(dot, otherName(SMTP_UTF8, tlv(0x0c, utf8('u@bücher.test'))))).toBe(NC.permittedViolation);
  });
});

describe('URI constraints (nc_uri)', () => {
  it.each<[string, string, number]>([
    ['host.test', 'https://host.test/path', NC.ok],
    ['host.test', 'https://HOST.test:8443/', NC.ok],
    ['host.test', 'https://a.host.test/', NC.permittedViolation],
    ['.host.test', 'https://a.host.test', NC.ok],
    ['.host.test', 'https://host.test', NC.permittedViolation],
    ['host.test', 'mailto:x@host.test', NC.unsupportedNameSyntax],
    ['host.test', 'https:///path', NC.unsupportedNameSyntax],
    ['host.test', 'no-colon', NC.unsupportedNameSyntax],
  ])('permitted %j, URI %j', (base, u, want) => {
    expect(check(constraints([subtree(uri(base))]), uri(u))).toBe(want);
  });
});

describe('iPAddress constraints (nc_ip)', () => {
  it('address and mask of the same family; other lengths are unsupported syntax', () => {
    const v4 = constraints([subtree(ip(10, 0, 0, 0, 255, 0, 0, 0))]);
    expect(check(v4, ip(10, 9, 8, 7))).toBe(NC.ok);
    expect(check(v4, ip(11, 0, 0, 1))).toBe(NC.permittedViolation);
    expect(check(v4, ip(...new Array<number>(15).fill(0), 1))).toBe(NC.permittedViolation); // IPv6 against an IPv4 range
    expect(check(v4, ip(10, 0, 0))).toBe(NC.unsupportedNameSyntax);
    expect(check(constraints([subtree(ip(10, 0, 0, 0))]), ip(10, 0, 0, 1))).toBe(NC.unsupportedNameSyntax); // a base without its mask
    // a mask that is not a prefix is applied as it is
    expect(check(constraints([subtree(ip(10, 0, 7, 0, 255, 0, 255, 0))]), ip(10, 99, 7, 42))).toBe(NC.ok);
    const v6 = constraints([subtree(ip(0xfd, ...new Array<number>(15).fill(0), 0xff, 0xff, ...new Array<number>(14).fill(0)))]);
    expect(check(v6, ip(0xfd, 0, ...new Array<number>(13).fill(0), 1))).toBe(NC.ok);
    expect(check(v6, ip(0xfe, 0x80, ...new Array<number>(13).fill(0), 1))).toBe(NC.permittedViolation);
  });
});

describe('directoryName constraints (nc_dn) and the subject', () => {
  const goodO = dirName(name([O, 0x0c, 'Good']));
  it('the base\'s RDNs must begin the subject, compared in OpenSSL\'s canonical form (case, blanks, string type)', () => {
    const nc = constraints([subtree(goodO)]);
    const subject = (...rdns: [string, number, string][]) => checkNames(certNames(name(...rdns), null), nc).code;
    expect(subject([O, 0x0c, 'Good'], [CN, 0x0c, 'leaf'])).toBe(NC.ok);
    expect(subject([O, 0x13, '  good '], [CN, 0x0c, 'leaf'])).toBe(NC.ok);
    expect(subject([O, 0x0c, 'Evil'], [CN, 0x0c, 'leaf'])).toBe(NC.permittedViolation);
    expect(subject([CN, 0x0c, 'leaf'], [O, 0x0c, 'Good'])).toBe(NC.permittedViolation); // not first
    expect(subject([O, 0x0c, 'Good'])).toBe(NC.ok);
    // an empty subject is not checked; an empty base permits every name
    expect(checkNames(certNames(tlv(0x30), null), nc).code).toBe(NC.ok);
    expect(checkNames(certNames(name([O, 0x0c, 'Evil']), null), constraints([subtree(dirName(tlv(0x30)))])).code).toBe(NC.ok);
    // a directoryName SAN is checked like the subject
    expect(check(nc, dirName(name([O, 0x0c, 'Evil'])))).toBe(NC.permittedViolation);
  });

  it('emailAddress attributes of the subject are checked as e-mail addresses, and must be IA5Strings', () => {
    const nc = constraints([subtree(email('good.test'))]);
    const withMail = (tag: number, v: string) => checkNames(certNames(name([CN, 0x0c, 'x'], [EMAIL, tag, v]), null), nc).code;
    expect(withMail(0x16, 'a@good.test')).toBe(NC.ok);
    expect(withMail(0x16, 'a@evil.test')).toBe(NC.permittedViolation);
    expect(withMail(0x0c, 'a@good.test')).toBe(NC.unsupportedNameSyntax);
  });
});

describe('what OpenSSL cannot check', () => {
  it('a subtree with a maximum, or a minimum other than 0, fails the names of its type only (SUBTREE_MINMAX)', () => {
    expect(check(constraints([subtree(dns('good.test'), undefined, [3])]), dns('a.good.test'))).toBe(NC.subtreeMinMax);
    expect(check(constraints([subtree(dns('good.test'), [1])]), dns('a.good.test'))).toBe(NC.subtreeMinMax);
    expect(check(constraints([subtree(dns('good.test'), [0])]), dns('a.good.test'))).toBe(NC.ok); // an explicit minimum of 0
    expect(check(constraints([], [subtree(dns('bad.test'), [2])]), dns('a.good.test'))).toBe(NC.subtreeMinMax);
    expect(check(constraints([subtree(dns('good.test'), undefined, [3])]), ip(1, 2, 3, 4))).toBe(NC.ok);
  });

  it('a constrained name type without a matcher (registeredID, otherName, x400Address) is UNSUPPORTED_CONSTRAINT_TYPE', () => {
    const rid = (o: string) => tlv(0x88, oid(o).subarray(2));
    expect(check(constraints([subtree(rid('1.2.3'))]), rid('1.2.3'))).toBe(NC.unsupportedConstraintType);
    expect(check(constraints([subtree(rid('1.2.3'))]), dns('x.test'))).toBe(NC.ok);
    const other = otherName('1.2.3.4', tlv(0x0c, utf8('v')));
    expect(check(constraints([subtree(other)]), other)).toBe(NC.unsupportedConstraintType);
    expect(check(constraints([subtree(otherName('1.2.3.5', tlv(0x0c, utf8('v'))))]), other)).toBe(NC.ok); // another type-id
  });

  it('more than 2^20 name × constraint comparisons for one certificate is refused outright (UNSPECIFIED)', () => {
    const many = (n: number, make: (i: number) => Uint8Array) => Array.from({ length: n }, (_, i) => make(i));
    const nc = constraints(many(1024, (i) => subtree(dns(`d${i}.test`))));
    const names = certNames(null, sans(...many(1024, (i) => dns(`d${i}.test`))));
    expect(checkNames(names, nc).code).toBe(NC.ok);
    const more = certNames(null, sans(...many(1025, (i) => dns(`d${i % 1024}.test`))));
    expect(checkNames(more, nc)).toEqual({ code: NC.unspecified, name: '1025 names against 1024 constraints' });
  });

  it('a crafted certificate whose comparisons would take a billion octet steps stops at the work budget (UNSPECIFIED), a large real one does not', () => {
    const many = (n: number, make: (i: number) => Uint8Array) => Array.from({ length: n }, (_, i) => make(i));
    // name i is within subtree i only, and is compared first with the i subtrees before it, 990 octets each time
    const long = (i: number) => 'a'.repeat(990) + String(i).padStart(10, '0');
    const nc = constraints(many(1024, (i) => subtree(dns(long(i)))));
    const r = checkNames(certNames(null, sans(...many(1024, (i) => dns(long(i))))), nc);
    expect(r.code).toBe(NC.unspecified);
    expect(r.name).toMatch(new RegExp(`^DNS:${'a'.repeat(120)}… \\(1000 bytes\\)$`));
    // the same names each within the first subtree are checked in full (a match ends the search)
    const first = constraints([subtree(dns('')), ...many(1023, (i) => subtree(dns(long(i))))]);
    expect(checkNames(certNames(null, sans(...many(1024, (i) => dns(long(i))))), first).code).toBe(NC.ok);
    // 200 names against 200 constraints of realistic length: checked in full
    const real = constraints(many(200, (i) => subtree(dns(`.dept${i}.corp.example.com`))));
    expect(checkNames(certNames(null, sans(...many(200, (i) => dns(`host${i}.dept${199 - i}.corp.example.com`)))), real).code).toBe(NC.ok);
    expect(checkNames(certNames(null, sans(...many(200, (i) => dns(`host${i}.other.example.com`)))), real).code).toBe(NC.permittedViolation);
  });

  it('malformed name constraints are ignored (no constraints), a malformed SAN is no names', () => {
    expect(decodeNameConstraints(Uint8Array.of(0x30, 0x05, 0xa0, 0x03, 0x02, 0x01))).toBeNull();
    expect(decodeNameConstraints(tlv(0x30, tlv(0xa0, tlv(0x04, [1]))))).toBeNull(); // a subtree that is not a SEQUENCE
    expect(decodeNameConstraints(tlv(0x30, tlv(0xa0, tlv(0x30))))).toBeNull(); // a subtree without a base
    expect(certNames(null, Uint8Array.of(0x30, 0x09, 0x82)).sans).toEqual([]);
  });
});

describe('commonNames of a leaf without a DNS SAN (NAME_CONSTRAINTS_check_CN, cn2dnsid)', () => {
  it.each<[string, string | null]>([
    ['www.example.test', 'www.example.test'],
    ['under_score.test', 'under_score.test'],
    ['xn--bcher-kva.test', 'xn--bcher-kva.test'],
    ['localhost', null], // one label
    ['a..b', null],
    ['.a.b', null],
    ['a.b.', null],
    ['a-.b', null],
    ['a.-b', null],
    ['-a.b', null],
    ['a b.test', null],
    ['bücher.test', null],
    ['Server Name', null],
    ['host.test\0\0', 'host.test'], // trailing NULs dropped
  ])('%j as a DNS-ID: %j', (cn, want) => {
    const id = cnAsDnsId(cn);
    expect(id === null || typeof id === 'number' ? id : Buffer.from(id).toString('latin1')).toBe(want);
  });

  it('an embedded NUL is unsupported syntax; only CNs that look like host names are compared', () => {
    expect(cnAsDnsId('host\0.test')).toBe(NC.unsupportedNameSyntax);
    const nc = constraints([subtree(dns('good.test'))]);
    const cns = (...values: string[]) => checkCommonNames(certNames(name(...values.map((v): [string, number, string] => [CN, 0x0c, v])), null), nc);
    expect(cns('a.good.test').code).toBe(NC.ok);
    expect(cns('Front End', 'a.evil.test')).toEqual({ code: NC.permittedViolation, name: 'CN=a.evil.test' });
    expect(cns('a.good.test', 'localhost').code).toBe(NC.ok);
    expect(cns('x\0.good.test').code).toBe(NC.unsupportedNameSyntax);
    expect(hasDnsSan(certNames(null, sans(ip(1, 2, 3, 4))))).toBe(false);
    expect(hasDnsSan(certNames(null, sans(ip(1, 2, 3, 4), dns('x.test'))))).toBe(true);
  });
});

describe('constraints in words', () => {
  it('names each subtree as OpenSSL prints it, at most four of each kind', () => {
    const nc = constraints(
      [subtree(dns('.a.test')), subtree(ip(10, 0, 0, 0, 255, 0, 0, 0)), subtree(email('ops@a.test')), subtree(uri('.a.test')), subtree(dns('b.test'))],
      [subtree(dirName(name([O, 0x0c, 'Evil'])))],
    );
    expect(constraintsText(nc)).toBe('permitted: DNS:.a.test, IP:10.0.0.0/255.0.0.0, email:ops@a.test, URI:.a.test, … (5 in all); excluded: DirName:O=Evil');
  });
});

describe('matcher edges (each as OpenSSL 3.0 v3_ncons.c reads the bytes)', () => {
  it('rfc822Name: an empty local part is an address; a base with \'@\' is a mailbox even when it starts with \'.\'; lengths are compared first', () => {
    expect(check(constraints([subtree(email('good.test'))]), email('@good.test'))).toBe(NC.ok);
    expect(check(constraints([subtree(email('.a@good.test'))]), email('x.a@good.test'))).toBe(NC.permittedViolation);
    expect(check(constraints([subtree(email('.a@good.test'))]), email('.a@good.test'))).toBe(NC.ok);
    expect(check(constraints([subtree(email('ops@good.test'))]), email('op@good.test'))).toBe(NC.permittedViolation);
    expect(check(constraints([subtree(email('good.test'))]), email('a@good.testx'))).toBe(NC.permittedViolation);
    expect(check(constraints([subtree(email('ops@good.test'))]), email('ops@good.tes'))).toBe(NC.permittedViolation);
    // a NUL in the base's local part alone is enough
    expect(check(constraints([subtree(email('o\0s@good.test'))]), email('oas@good.test'))).toBe(NC.unsupportedNameSyntax);
    expect(check(constraints([subtree(email('oas@good.test'))]), email('o\0s@good.test'))).toBe(NC.unsupportedNameSyntax);
  });

  it('SmtpUTF8Mailbox: host compared whole and case-insensitively; a NUL in the base, an undecodable A-label, an empty base', () => {
    const mbox = (s: string) => otherName(SMTP_UTF8, tlv(0x0c, utf8(s)));
    const nc = constraints([subtree(email('plain.test'))]);
    expect(check(nc, mbox('@plain.test'))).toBe(NC.ok);
    expect(check(nc, mbox('u@PLAIN.test'))).toBe(NC.ok);
    expect(check(nc, mbox('u@plain.tesx'))).toBe(NC.permittedViolation);
    expect(check(nc, mbox('u@plain.test.evil'))).toBe(NC.permittedViolation);
    expect(check(nc, mbox('u@plain'))).toBe(NC.permittedViolation);
    expect(check(nc, mbox('u@a.plain.test'))).toBe(NC.permittedViolation);
    expect(check(constraints([subtree(email('pla\0in.test'))]), mbox('u@plain.test'))).toBe(NC.unsupportedNameSyntax);
    expect(check(constraints([subtree(email('xn--zz.test'))]), mbox('u@zz.test'))).toBe(NC.unspecified); // openssl verify: error 1
    expect(check(constraints([subtree(email(''))]), mbox('u@plain.test'))).toBe(NC.permittedViolation);
    expect(check(constraints([subtree(email(''))]), mbox('u@'))).toBe(NC.ok);
    expect(check(constraints([subtree(email('.'))]), mbox('u@a.b..'))).toBe(NC.ok); // '.' is compared as '..'
    expect(check(constraints([subtree(email('.'))]), mbox('u@a.b.'))).toBe(NC.permittedViolation);
  });

  it('URI: exactly \'scheme://\' before the host (the scheme may be empty); a \'.\' base needs a longer host', () => {
    const u = (base: string, name: string) => check(constraints([subtree(uri(base))]), uri(name));
    expect(u('host.test', '://host.test')).toBe(NC.ok);
    expect(u('host.test', '//host.test')).toBe(NC.unsupportedNameSyntax);
    expect(u('host.test', 'ab:x/host.test')).toBe(NC.unsupportedNameSyntax);
    expect(u('host.test', 'https:/xhost.test')).toBe(NC.unsupportedNameSyntax);
    expect(u('.host.test', 'https://.host.test')).toBe(NC.permittedViolation);
    expect(u('.host.test', 'https://www.evil.example')).toBe(NC.permittedViolation);
    expect(u('.t://ab', 'x.t://ab')).toBe(NC.permittedViolation); // the host alone is compared, never what precedes it
    expect(u('host.test', 'https://evil.test')).toBe(NC.permittedViolation);
    expect(u('host.test', 'https://host')).toBe(NC.permittedViolation);
  });

  it('an excluded subtree whose matcher cannot read the name returns that error', () => {
    expect(check(constraints([], [subtree(email('bad.test'))]), email('no-at-sign'))).toBe(NC.unsupportedNameSyntax);
  });

  it('a minimum is 0 only when all its octets are (256 is not), and a subtree that is not a SEQUENCE does not decode', () => {
    expect(check(constraints([subtree(dns('good.test'), [1, 0])]), dns('a.good.test'))).toBe(NC.subtreeMinMax);
    expect(check(constraints([subtree(dns('good.test'), [0, 1])]), dns('a.good.test'))).toBe(NC.subtreeMinMax);
    expect(check(constraints([subtree(dns('good.test'), undefined, [0])]), dns('a.good.test'))).toBe(NC.subtreeMinMax); // any maximum, 0 too
    expect(decodeNameConstraints(tlv(0x30, tlv(0xa0, tlv(0x31, dns('good.test')))))).toBeNull();
  });

  it('every emailAddress attribute of the subject and then every SAN is checked', () => {
    const nc = constraints([subtree(email('good.test')), subtree(dns('good.test'))]);
    expect(checkNames(certNames(name([CN, 0x0c, 'x'], [EMAIL, 0x16, 'a@good.test']), sans(dns('a.evil.test'))), nc).code).toBe(NC.permittedViolation);
    expect(checkNames(certNames(name([EMAIL, 0x16, 'a@good.test'], [EMAIL, 0x16, 'b@evil.test']), null), nc).code).toBe(NC.permittedViolation);
  });

  it('the 2^20 guard counts permitted and excluded subtrees together', () => {
    const many = (n: number, make: (i: number) => Uint8Array) => Array.from({ length: n }, (_, i) => make(i));
    const nc = constraints(many(1024, (i) => subtree(dns(`d${i}.test`))), [subtree(dns('x.test'))]);
    expect(checkNames(certNames(null, sans(...many(1024, (i) => dns(`d${i}.test`)))), nc).code).toBe(NC.unspecified);
  });
});

describe('commonNames: only commonName attributes, every one of them, that look like host names', () => {
  const nc = constraints([subtree(dns('good.test'))]);
  const subjectOf = (...rdns: [string, number, string][]) => certNames(name(...rdns), null);

  it('letters of both cases, digits and \'_\' make a host name, at the edges of their ranges too', () => {
    for (const cn of ['az.test', 'AZ.test', 'Zz.test', '09.test', 'a0.b9', 'x_9.test']) {
      const id = cnAsDnsId(cn);
      expect(id === null || typeof id === 'number' ? id : Buffer.from(id).toString('latin1'), cn).toBe(cn);
    }
    expect(checkCommonNames(subjectOf([CN, 0x0c, 'A.EVIL.TEST']), nc).code).toBe(NC.permittedViolation);
    expect(checkCommonNames(subjectOf([CN, 0x0c, 'A.GOOD.TEST']), nc).code).toBe(NC.ok);
  });

  it('other attributes are not host names; a later commonName is checked after a good one', () => {
    expect(checkCommonNames(subjectOf([O, 0x0c, 'a.evil.test'], [CN, 0x0c, 'a.good.test']), nc).code).toBe(NC.ok);
    expect(checkCommonNames(subjectOf([CN, 0x0c, 'a.good.test'], [CN, 0x0c, 'a.evil.test']), nc)).toEqual({ code: NC.permittedViolation, name: 'CN=a.evil.test' });
    expect(checkCommonNames(subjectOf([CN, 0x0c, 'x\0.good.test']), nc)).toEqual({ code: NC.unsupportedNameSyntax, name: 'CN=x?.good.test' });
  });

  it('a subject that does not decode gives no names, not the attributes read before the fault', () => {
    const good = name([CN, 0x0c, 'a.evil.test']);
    const broken = tlv(0x30, good.subarray(2), tlv(0x30)); // a second RDN that is not a SET
    const names = certNames(broken, null);
    expect(names.subjectRdns).toBeNull();
    expect(checkCommonNames(names, nc).code).toBe(NC.ok);
  });
});

describe('constraints in words: edges', () => {
  it('four subtrees are all shown; a part that is absent is not named; every name type has a text', () => {
    const four = constraints([subtree(dns('a.test')), subtree(dns('b.test')), subtree(dns('c.test')), subtree(dns('d.test'))]);
    expect(constraintsText(four)).toBe('permitted: DNS:a.test, DNS:b.test, DNS:c.test, DNS:d.test');
    const rid = tlv(0x88, oid('1.2.3').subarray(2));
    const odd = constraints([], [subtree(otherName('1.2.3.4', tlv(0x0c, utf8('v')))), subtree(rid), subtree(dirName(tlv(0x30)))]);
    expect(constraintsText(odd)).toBe('excluded: othername:1.2.3.4, name of type 8, DirName:');
    expect(constraintsText(constraints([subtree(dns('x'.repeat(200)))]))).toBe(`permitted: DNS:${'x'.repeat(120)}… (200 bytes)`);
  });
});
