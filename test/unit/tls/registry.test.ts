import { describe, expect, it } from 'vitest';
import {
  alertLevelName, alertName, cipherSuiteName, extensionName, groupName, handshakeTypeName, isGrease, isTls13Like,
  signatureSchemeName, versionName,
} from '../../../src/tls/registry/index.js';

describe('tls registries (IANA names, GREASE, unknown as numbers)', () => {
  it.each([
    [0x0002, 'SSL 2.0'], [0x0300, 'SSL 3.0'], [0x0301, 'TLS 1.0'], [0x0302, 'TLS 1.1'], [0x0303, 'TLS 1.2'],
    [0x0304, 'TLS 1.3'], [0x7f1c, 'TLS 1.3 (draft 28)'], [0x7f10, 'TLS 1.3 (draft 16)'], [0x0a0a, 'GREASE (0x0a0a)'],
    [0x7e01, '0x7e01'], [0x1234, '0x1234'],
  ])('versionName(%s) = %s', (v, name) => expect(versionName(v)).toBe(name));

  it('isGrease accepts exactly the 16 RFC 8701 values', () => {
    const grease = [];
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) grease.push(v);
    expect(grease).toEqual(Array.from({ length: 16 }, (_, i) => (i << 12) | 0x0a00 | (i << 4) | 0x0a));
  });

  it('names cipher suites exactly as IANA, SSLv2 kinds too', () => {
    expect(cipherSuiteName(0xc02c)).toBe('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384');
    expect(cipherSuiteName(0x1301)).toBe('TLS_AES_128_GCM_SHA256');
    expect(cipherSuiteName(0x00ff)).toBe('TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
    expect(cipherSuiteName(0xcca9)).toBe('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256');
    expect(cipherSuiteName(0x010080)).toBe('SSL2_RC4_128_WITH_MD5');
    expect(cipherSuiteName(0x2a2a)).toBe('GREASE (0x2a2a)');
    expect(cipherSuiteName(0x0060)).toBe('0x0060'); // reserved, not assigned
    expect(cipherSuiteName(-1)).toBe('none');
  });

  it('names alerts in RFC 8446 snake_case', () => {
    expect(alertName(48)).toBe('unknown_ca');
    expect(alertName(46)).toBe('certificate_unknown');
    expect(alertName(112)).toBe('unrecognized_name');
    expect(alertName(200)).toBe('0x00c8');
    expect(alertName(-1)).toBe('encrypted');
    expect(alertLevelName(2)).toBe('fatal');
    expect(alertLevelName(1)).toBe('warning');
  });

  it('names groups, extensions, signature schemes and handshake types', () => {
    expect(groupName(29)).toBe('x25519');
    expect(groupName(0x11ec)).toBe('X25519MLKEM768');
    expect(groupName(0x3a3a)).toBe('GREASE (0x3a3a)');
    expect(extensionName(0)).toBe('server_name');
    expect(extensionName(0xfe0d)).toBe('encrypted_client_hello');
    expect(extensionName(0x1a1b)).toBe('0x1a1b');
    expect(signatureSchemeName(0x0403)).toBe('ecdsa_secp256r1_sha256');
    expect(signatureSchemeName(0x0301)).toBe('sha224_rsa');
    expect(handshakeTypeName(11)).toBe('certificate');
  });

  it('treats 0x0304, drafts and experimental versions from supported_versions as TLS 1.3', () => {
    expect(isTls13Like(0x0304, false)).toBe(true);
    expect(isTls13Like(0x7f1c, false)).toBe(true);
    expect(isTls13Like(0x7e01, true)).toBe(true);
    expect(isTls13Like(0x7e01, false)).toBe(false);
    expect(isTls13Like(0x0303, true)).toBe(false);
  });
});
