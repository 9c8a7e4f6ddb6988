import { describe, expect, it } from 'vitest';
import type { CertificateOut } from '../../../src/report/model.js';
import { atsNameCheck, rfc6125NameCheck, rfc6125NameCheckLists } from '../../../src/x509/hostname.js';

function facts(dns: string[], ip: string[] = [], cn: string | null = null): CertificateOut {
  return {
    sha256: '00', subject: cn ? `CN=${cn}` : '', issuer: '', subject_cn: cn, issuer_cn: null, serial: '01',
    not_before: null, not_after: null, san: { dns, ip }, key: { type: 'RSA', bits: 2048, curve: null },
    signature_algorithm: 'sha256WithRSAEncryption', self_signed: false, ca: false, ski: null, aki: null, complete: true, pem: null,
  };
}

// [description, DNS SANs, IP SANs, CN, name, Traffic Server ok (via), RFC 6125 / OpenSSL ok]
const table: [string, string[], string[], string | null, string, 'dns_san' | 'cn' | null, boolean][] = [
  ['exact DNS SAN, case-insensitive', ['cucm.steven.lab'], [], null, 'CUCM.Steven.LAB', 'dns_san', true],
  ['left-most wildcard', ['*.steven.lab'], [], null, 'cucm.steven.lab', 'dns_san', true],
  ['wildcard spans one label only', ['*.steven.lab'], [], null, 'a.cucm.steven.lab', null, false],
  ['wildcard does not match the bare domain', ['*.steven.lab'], [], null, 'steven.lab', null, false],
  ['wildcard needs two dots after it', ['*.lab'], [], null, 'steven.lab', null, false],
  ['partial wildcard at the label start', ['cu*.steven.lab'], [], null, 'cucm.steven.lab', 'dns_san', true],
  ['wildcard in the middle of a label is literal', ['c*m.steven.lab'], [], null, 'cucm.steven.lab', null, false],
  ['ATS: no wildcards for names of 5 characters or fewer', ['*.a.b'], [], null, 'x.a.b', null, true],
  ['ATS allows _ under a wildcard, OpenSSL does not', ['*.steven.lab'], [], null, 'my_host.steven.lab', 'dns_san', false],
  ['A-label subject matches a full-label wildcard', ['*.example.com'], [], null, 'xn--bcher-kva.example.com', 'dns_san', true],
  ['ATS checks the first CN even when SANs exist', ['other.steven.lab'], [], 'cucm.steven.lab', 'cucm.steven.lab', 'cn', false],
  ['CN only, no SAN', [], [], 'cucm.steven.lab', 'cucm.steven.lab', 'cn', true],
  ['wildcard CN', [], [], '*.steven.lab', 'cucm.steven.lab', 'cn', true],
  ['IP SAN is ignored by ATS, accepted by browsers', [], ['10.48.36.215'], 'cucm', '10.48.36.215', null, true],
  ['IP literal written as a DNS SAN is accepted by ATS', ['10.48.36.215'], [], null, '10.48.36.215', 'dns_san', false],
  ['IP literal as the CN is accepted by ATS', [], [], '10.48.36.215', '10.48.36.215', 'cn', false],
  ['IPv6 SANs compare in normal form', [], ['2001:db8::1'], null, '2001:DB8:0:0::1', null, true],
  ['empty name never matches', ['cucm.steven.lab'], [], 'cucm.steven.lab', '', null, false],
  ['a trailing dot is compared as it is by both (OpenSSL X509_check_host)', ['cucm.steven.lab'], [], null, 'cucm.steven.lab.', null, false],
  ['a SAN with a trailing dot matches the same name with it (OpenSSL)', ['cucm.steven.lab.'], [], null, 'cucm.steven.lab.', 'dns_san', true],
];

// Traffic Server only: boundary cases of find_wildcard_in_hostname / wildcard_match / equal_wildcard
// (src/tscore/X509HostnameValidator.cc). [description, DNS SANs, CN, name, Traffic Server via]
const atsTable: [string, string[], string | null, string, 'dns_san' | 'cn' | null][] = [
  ['the certificate side compares case-insensitively too', ['CUCM.Steven.LAB'], null, 'cucm.steven.lab', 'dns_san'],
  ['wildcard prefix and suffix compare case-insensitively', ['CU*.Steven.LAB'], null, 'cucm.steven.lab', 'dns_san'],
  ['a 5-character pattern *.a.b is a wildcard for a 6-character name', ['*.a.b'], null, 'xy.a.b', 'dns_san'],
  ['a pattern under 5 characters is literal', ['ab.c'], null, 'abbb.c', null],
  ['a short name compares literally (no wildcard position)', ['ab.c'], null, 'ax.c', null],
  ['the final dot may not be the last character', ['*.ab.'], null, 'xy.ab.', null],
  ['the final dot must be at index 3 or later', ['*..abc'], null, 'xy..abc', null],
  ['no wildcard: a pattern whose final dot is early is literal', ['ab.cd'], null, 'axyz.cd', null],
  ['a wildcard needs two dots after it (partial at the start)', ['*abc.com'], null, 'xabc.com', null],
  ['a wildcard needs two dots after it (partial at the end)', ['ab*.com'], null, 'abxy.com', null],
  ['a wildcard at the start of a label may be followed by letters', ['*abc.example.com'], null, 'xyzabc.example.com', 'dns_san'],
  ['a partial wildcard may match nothing', ['cu*.steven.lab'], null, 'cu.steven.lab', 'dns_san'],
  ['a leading partial wildcard may match nothing', ['*abc.example.com'], null, 'abc.example.com', 'dns_san'],
  ['two wildcards in the first label: literal', ['**.example.com'], null, '*ab.example.com', null],
  ['the prefix before the wildcard must match', ['cu*.steven.lab'], null, 'xx.steven.lab', null],
  ['the suffix after the wildcard must match', ['*.steven.lab'], null, 'cucm.steven.org', null],
  ['a wildcard matches a literal * in the name', ['*.steven.lab'], null, '*.steven.lab', 'dns_san'],
  ['an A-label name only matches a full-label wildcard (trailing partial)', ['x*.example.com'], null, 'xn--bcher-kva.example.com', null],
  ['an A-label name only matches a full-label wildcard (leading partial)', ['*bc.example.com'], null, 'xn--abc.example.com', null],
  ['an upper-case A-label prefix is an A-label too', ['x*.example.com'], null, 'XN--bcher-kva.example.com', null],
  ['a partial wildcard matches an ordinary name starting with xn', ['x*.example.com'], null, 'xnbcher.example.com', 'dns_san'],
  ['an empty DNS SAN matches nothing', [''], null, 'cucm.steven.lab', null],
  ['an empty CN matches nothing', [], '', 'cucm.steven.lab', null],
  ['a DNS SAN is tried before the CN', ['cucm.steven.lab'], 'cucm.steven.lab', 'cucm.steven.lab', 'dns_san'],
  ['every DNS SAN is tried', ['a.steven.lab', 'cucm.steven.lab'], null, 'cucm.steven.lab', 'dns_san'],
];

describe('Traffic Server name check boundaries', () => {
  it.each(atsTable)('%s', (_desc, dns, cn, name, via) => {
    const r = atsNameCheck(facts(dns, [], cn), name);
    expect(r.via).toBe(via);
    expect(r.ok).toBe(via !== null);
  });

  it('an empty name matches nothing, not even an IP SAN', () => {
    expect(atsNameCheck(facts([], ['10.48.36.215'], ''), '')).toEqual({ ok: false, via: null, ipSanMatches: false });
  });

  it('an iPAddress SAN of odd length (shown in hex) never equals a name', () => {
    expect(atsNameCheck(facts([], ['#0a3024d7ff', '10.48.36.215']), '10.48.36.215').ipSanMatches).toBe(true);
    expect(atsNameCheck(facts([], ['#0a3024d7ff']), '10.48.36.215').ipSanMatches).toBe(false);
    expect(rfc6125NameCheck(facts([], ['#0a3024d7ff']), '10.48.36.215')).toBe(false);
  });

  it('a certificate with neither SAN nor CN matches no name', () => {
    expect(atsNameCheck(facts([], [], null), 'cucm.steven.lab').ok).toBe(false);
    expect(rfc6125NameCheck(facts([], [], null), 'cucm.steven.lab')).toBe(false);
  });
});

describe('Traffic Server vs RFC 6125 name checks', () => {
  for (const [desc, dns, ip, cn, name, via, rfc] of table) {
    it(desc, () => {
      const f = facts(dns, ip, cn);
      const ats = atsNameCheck(f, name);
      expect(ats.ok).toBe(via !== null);
      expect(ats.via).toBe(via);
      expect(rfc6125NameCheck(f, name)).toBe(rfc);
    });
  }

  it('says when an IP SAN matches the name', () => {
    expect(atsNameCheck(facts([], ['10.48.36.215']), '10.48.36.215').ipSanMatches).toBe(true);
    expect(atsNameCheck(facts([], ['10.48.36.216']), '10.48.36.215').ipSanMatches).toBe(false);
    expect(atsNameCheck(facts(['cucm.steven.lab']), 'cucm.steven.lab').ipSanMatches).toBe(false);
  });

  it('ATS uses the first CN only; OpenSSL tries every CN when there is no DNS SAN', () => {
    // facts carry the first CN; the list form gets every CN
    expect(atsNameCheck(facts([], [], 'first.steven.lab'), 'second.steven.lab').ok).toBe(false);
    expect(rfc6125NameCheckLists([], [], ['first.steven.lab', 'second.steven.lab'], 'second.steven.lab')).toBe(true);
  });
});
