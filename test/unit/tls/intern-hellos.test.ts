import { describe, expect, it } from 'vitest';
import { internClientHello, internServerHello } from '../../../src/tls/connection-facts.js';
import { newClientHelloInfo } from '../../../src/tls/messages/client-hello.js';
import { newServerHelloInfo } from '../../../src/tls/messages/server-hello.js';
import type { ClientHelloInfo } from '../../../src/tls/summary.js';

/** A ClientHello as the decoder fills it (fresh arrays each time), with an SNI unique to this test. */
function hello(sni: string): ClientHelloInfo {
  const h = newClientHelloInfo(0x0301);
  h.legacyVersion = 0x0303;
  h.cipherSuites = [0xc02b, 0xc02f, 0x1301];
  h.supportedVersions = [0x0304, 0x0303];
  h.extensions = [0, 43, 10, 13];
  h.supportedGroups = [29, 23];
  h.signatureAlgorithms = [0x0403, 0x0804];
  h.sni = sni;
  return h;
}

describe('interned hellos', () => {
  it('an equal hello decoded again is the shared object; a different one is not', () => {
    const first = internClientHello(hello('intern-a.example'));
    expect(internClientHello(hello('intern-a.example'))).toBe(first);
    expect(internClientHello(hello('intern-b.example'))).not.toBe(first);
    const sh = newServerHelloInfo();
    sh.cipherSuite = 0xc02f;
    sh.extensions = [65281, 11];
    const shared = internServerHello(sh);
    const again = newServerHelloInfo();
    again.cipherSuite = 0xc02f;
    again.extensions = [65281, 11];
    expect(internServerHello(again)).toBe(shared);
  });

  it('an object with another field, or its fields in another order, is never taken for the shared one', () => {
    const first = internClientHello(hello('intern-c.example'));
    const extra = Object.assign(hello('intern-c.example'), { note: 'x' });
    expect(internClientHello(extra)).toBe(extra);
    const h = hello('intern-c.example');
    const reordered = Object.fromEntries(Object.entries(h).reverse()) as unknown as ClientHelloInfo;
    expect(internClientHello(reordered)).toBe(reordered);
    // the shared one is still found for a plain equal hello
    expect(internClientHello(hello('intern-c.example'))).toBe(first);
  });
});
