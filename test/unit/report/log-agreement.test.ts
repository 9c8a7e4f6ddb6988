import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { errorField, errorText, logClaim, logDisagreementFindings, LogDisagreements } from '../../../src/report/log-agreement.js';
import type { ConnectionOut, LogEventOut } from '../../../src/report/model.js';
import { loadCase } from '../trust/chain-fixtures.js';
import { conn, type ConnSpec } from '../findings/conn.js';

const regexVersion = (t: string): string => {
  const a = t.indexOf('Error=');
  return a < 0 ? t : (/^Error=(.*?)\s+server=/.exec(t.slice(a))?.[1] ?? t);
};

describe('errorText', () => {
  it('reads the Error= text of the Traffic Server warnings', () => {
    const line = 'WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(127.0.10.1) depth=0';
    expect(errorText(line)).toBe('self signed certificate');
    expect(errorText('Error=  server=x')).toBe('');
    expect(errorText('no error field')).toBe('no error field');
  });

  it('agrees with the regular expression (from the first Error=) on any short line', () => {
    const piece = fc.constantFrom('Error=', 'server=', ' ', '\t', '\n', '\r', '\u2028', '\u00a0', 'x', 'self signed', '=', 'serv', 'Error=server=');
    fc.assert(fc.property(fc.array(piece, { maxLength: 14 }).map((a) => a.join('')), (t) => {
      expect(errorText(t)).toBe(regexVersion(t));
    }), { numRuns: 5000 });
  });

  it('stays linear on a hostile line of blanks (the regular expression took seconds)', () => {
    const t = `Error=${' '.repeat(200_000)}x`;
    expect(errorText(t)).toBe(t);
    const e: LogEventOut = { file: 'f', line: 1, time: null, kind: 'verify_failed', txn_id: null, text: `${t} depth=0` };
    expect(logClaim(e)).toBeNull();
  });
});

describe('errorField', () => {
  it('the Error= value up to server=, depth= or the end of its line, trimmed; null when absent or empty', () => {
    expect(errorField('Core server certificate verification failed for (a). Action=Terminate Error=self signed certificate server=a(10.0.0.1) depth=0')).toBe('self signed certificate');
    expect(errorField('Action=Terminate Error=certificate has expired depth=0')).toBe('certificate has expired');
    expect(errorField('Action=Terminate Error=  certificate has expired  \nserver=a(10.0.0.1)')).toBe('certificate has expired');
    expect(errorField('Action=Terminate Error=certificate has expired\r depth=0')).toBe('certificate has expired');
    // the earliest end wins, whatever the order of the fields
    expect(errorField('Error=x depth=1 server=a(10.0.0.1)')).toBe('x');
    expect(errorField('Error= server=a(10.0.0.1) depth=0')).toBeNull();
    expect(errorField('Error=')).toBeNull();
    expect(errorField('Action=Terminate server=a(10.0.0.1) depth=0')).toBeNull();
  });
});

describe('logClaim', () => {
  const warn = (error: string, depth: number): LogEventOut => ({
    file: 'diag.log', line: 7, time: null, kind: 'verify_failed', txn_id: null,
    text: `WARNING: Core server certificate verification failed for (cucm.lab). Action=Terminate Error=${error} server=cucm.lab(10.0.0.5) depth=${depth}`,
  });

  it('reads each name-constraints error OpenSSL prints as name_constraints, and the date format errors as bad_time_format, at the logged depth', () => {
    for (const text of ['permitted subtree violation', 'excluded subtree violation', 'name constraints minimum and maximum not supported',
      'unsupported name constraint type', 'unsupported or invalid name syntax']) {
      expect(logClaim(warn(text, 1)), text).toEqual({ code: 'name_constraints', depth: 1 });
    }
    expect(logClaim(warn('unhandled critical extension', 0))).toEqual({ code: 'unhandled_critical', depth: 0 });
    expect(logClaim(warn("format error in certificate's notAfter field", 0))).toEqual({ code: 'bad_time_format', depth: 0 });
    expect(logClaim(warn("format error in certificate's notBefore field", 2))).toEqual({ code: 'bad_time_format', depth: 2 });
    expect(logClaim(warn('subtree violation', 0))).toBeNull();
  });

  it('the name warnings claim name_mismatch at the leaf; depth is read whole; other kinds claim nothing', () => {
    const ev = (kind: string, text: string): LogEventOut => ({ file: 'diag.log', line: 1, time: null, kind, txn_id: null, text });
    expect(logClaim(ev('sni_mismatch', 'WARNING: SNI (a) not in certificate. Action=Terminate server=a(10.0.0.1)'))).toEqual({ code: 'name_mismatch', depth: 0 });
    expect(logClaim(ev('origin_hostname_mismatch', 'WARNING: Origin hostname (a) not in certificate. Action=Terminate server=a(10.0.0.1)'))).toEqual({ code: 'name_mismatch', depth: 0 });
    expect(logClaim(warn('certificate chain too long', 12))).toEqual({ code: 'chain_too_long', depth: 12 });
    // a line whose kind is not the verification warning is not read for an OpenSSL text, even when it quotes one
    expect(logClaim(ev('ssl_connect_failed', "ERROR: SSL connection failed for 'a': Error=certificate has expired server=a(10.0.0.1) depth=0"))).toBeNull();
    expect(logClaim(ev('other', 'WARNING: SSL handshake: certificate has expired'))).toBeNull();
  });
});

describe('LogDisagreements (log verdict vs the verdict recomputed from the captured chain)', () => {
  // hand-built connections validated for real (the OpenSSL differential fixtures, test/fixtures/chains/)
  const own = (fixture: string, id: number | undefined, events: LogEventOut[], extra: Partial<ConnSpec> = {}): ConnectionOut => {
    const c = conn({ id: id ?? 0, port: 8443, fixture, store: loadCase(fixture).store, ...extra });
    if (id === undefined) delete c.id;
    return { ...c, log_events: events };
  };
  const verify = (error: string, depth: string, line = 7): LogEventOut => ({
    file: 'diags.log', line, time: null, kind: 'verify_failed', txn_id: null,
    text: `[ET_NET 0] WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=${error} server=cucm.steven.lab(10.48.36.215)${depth}`,
  });
  const sni = (line = 9): LogEventOut => ({
    file: 'diags.log', line, time: null, kind: 'sni_mismatch', txn_id: null,
    text: '[ET_NET 0] WARNING: SNI (cucm.steven.lab) not in certificate. Action=Terminate server=cucm.steven.lab(10.48.36.215)',
  });

  it('a log that says what we say (same code, same depth) is no finding', () => {
    // self_signed_leaf: OpenSSL says 18 "self-signed certificate" at depth 0, and so do we
    expect(own('self_signed_leaf', 1, []).validation.errors.map((e) => [e.code, e.depth])).toEqual([['self_signed', 0]]);
    expect(logDisagreementFindings([own('self_signed_leaf', 1, [verify('self signed certificate', ' depth=0')])])).toEqual([]);
    expect(logDisagreementFindings([own('self_signed_leaf', 1, [verify('self-signed certificate', ' depth=0')])])).toEqual([]);
    // a line without depth= agrees with our error at any depth
    expect(logDisagreementFindings([own('leaf_untrusted_root_sent', 1, [verify('self-signed certificate in certificate chain', '')])])).toEqual([]);
  });

  it('the same code at another depth disagrees, and says both depths', () => {
    const f = logDisagreementFindings([own('self_signed_leaf', 4, [verify('self signed certificate', ' depth=1')])]);
    expect(f).toHaveLength(1);
    expect(f[0].reason).toMatch(/^diags\.log:7 says self_signed at depth 1 \("\[ET_NET 0\] WARNING: Core server certificate verification failed for \(cucm\.steven\.lab\)\. Action=Terminate Error=self signed certificate server=cucm\.steven\.lab\(10\.48\.36\.215\) depth=1"\), but our verdict for the captured chain is self_signed at depth 0$/);
  });

  it('a disagreement is one warning finding naming the server, the connection and the leaf', () => {
    const c = own('chain_trusted', 12, [verify('unable to get local issuer certificate', ' depth=1', 3)]);
    expect(c.validation.errors).toEqual([]);
    const f = logDisagreementFindings([c]);
    expect(f).toEqual([{
      server: { ip: '10.48.36.215', port: 8443, name: 'cucm.steven.lab' },
      service: null,
      verdict: 'info',
      code: 'log_disagrees',
      severity: 'warning',
      title: "cucm.steven.lab:8443: the log's verdict differs from the captured certificate's",
      reason: `diags.log:3 says unknown_issuer at depth 1 ("${c.log_events[0].text}"), but the certificate captured on this connection chains to the trust store and passes the name check`,
      fix: [
        "Check that the trust store given to tls-extract is the one the Expressway-C had at the time (a bundle's ca_*.pem is; an export made later may already contain the fix)",
        'Check that the log and the capture come from the same cluster node and the same moment (each peer has its own log and capture)',
      ],
      connections: [12],
      certificates: [c.certificates[0].sha256],
      log_events: 1,
    }]);
    expect(c.certificates.length).toBeGreaterThan(1);
  });

  it('without a checked name the title names the server address; a claim without depth says none', () => {
    const c = own('chain_trusted', 2, [verify('certificate has expired', '')], { name: null });
    const [f] = logDisagreementFindings([c]);
    expect(f.title).toBe("10.48.36.215:8443: the log's verdict differs from the captured certificate's");
    expect(f.server).toEqual({ ip: '10.48.36.215', port: 8443, name: null });
    expect(f.reason).toMatch(/^diags\.log:7 says expired \("/);
  });

  it('quotes at most 200 characters of the log line', () => {
    const long = verify(`certificate has expired${' x'.repeat(300)}`, ' depth=0');
    const [f] = logDisagreementFindings([own('chain_trusted', 2, [long])]);
    expect(f.reason).toContain(`("${long.text.slice(0, 200)}")`);
    expect(f.reason).not.toContain(long.text.slice(0, 201));
  });

  it('an SNI warning claims name_mismatch at depth 0; our errors are listed, an error without depth without one', () => {
    const c = own('self_signed_leaf', 5, [sni()]);
    c.validation = { ...c.validation, errors: [...c.validation.errors, { code: 'incomplete', depth: null, message: 'certificate bytes incomplete in the capture' }] };
    const [f] = logDisagreementFindings([c]);
    expect(f.reason).toMatch(/ says name_mismatch at depth 0 \(".*"\), but our verdict for the captured chain is self_signed at depth 0, incomplete$/);
    // the captured leaf does not carry the name: we say name_mismatch at depth 0 too
    const named = own('self_signed_leaf', 6, [sni()], { name: 'not-in-the-cert.example' });
    expect(named.validation.errors.some((e) => e.code === 'name_mismatch' && e.depth === 0)).toBe(true);
    expect(logDisagreementFindings([named])).toEqual([]);
  });

  it('lines that claim nothing checkable, and connections we did not check, give no finding', () => {
    const ssl: LogEventOut = { file: 'diags.log', line: 8, time: null, kind: 'ssl_connect_failed', txn_id: null, text: "ERROR: SSL connection failed for 'cucm.steven.lab': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed" };
    const unknownText = verify('certificate revoked', ' depth=0');
    expect(logDisagreementFindings([own('chain_trusted', 1, [ssl, unknownText])])).toEqual([]);
    // TLS 1.3: the certificate is not visible, our status is not_checked
    const tls13 = own('chain_trusted', 1, [verify('self signed certificate', ' depth=0')], { tls13: true });
    expect(tls13.validation.status).toBe('not_checked');
    expect(logDisagreementFindings([tls13])).toEqual([]);
  });

  it('one finding per server, port, code and depth: connections with the same claim are listed together', () => {
    const a = own('chain_trusted', 10, [verify('self signed certificate', ' depth=0')]);
    const b = own('chain_trusted', 11, [verify('self signed certificate', ' depth=0')]);
    const otherDepth = own('chain_trusted', 12, [verify('self signed certificate', ' depth=1')]);
    const otherPort = { ...own('chain_trusted', 13, [verify('self signed certificate', ' depth=0')]), server: { ip: '10.48.36.215', port: 6972 } };
    const otherIp = { ...own('chain_trusted', 14, [verify('self signed certificate', ' depth=0')]), server: { ip: '10.48.36.216', port: 8443 } };
    const otherCode = own('chain_trusted', 15, [verify('certificate has expired', ' depth=0')]);
    const f = logDisagreementFindings([a, b, otherDepth, otherPort, otherIp, otherCode]);
    expect(f.map((x) => [x.connections, x.log_events, x.server.ip, x.server.port])).toEqual([
      [[10, 11], 2, '10.48.36.215', 8443], [[12], 1, '10.48.36.215', 8443], [[13], 1, '10.48.36.215', 6972],
      [[14], 1, '10.48.36.216', 8443], [[15], 1, '10.48.36.215', 8443],
    ]);
  });

  it('one claim per connection: the first disagreeing line counts, agreeing lines before it are passed over', () => {
    const expired = verify('certificate has expired', ' depth=0', 20);
    const chain = verify('self signed certificate in certificate chain', ' depth=1', 21);
    // two disagreeing lines on one connection: only the first is a finding, counted once
    expect(logDisagreementFindings([own('chain_trusted', 1, [expired, chain])]).map((x) => [x.reason.slice(0, 30), x.log_events]))
      .toEqual([['diags.log:20 says expired at d', 1]]);
    // the second connection's two lines: the first joins the existing finding, the second is not read
    const f = logDisagreementFindings([own('chain_trusted', 1, [expired]), own('chain_trusted', 2, [expired, chain])]);
    expect(f.map((x) => [x.connections, x.log_events])).toEqual([[[1, 2], 2]]);
    // an agreeing line first does not hide a disagreeing one after it
    const g = logDisagreementFindings([own('self_signed_leaf', 3, [verify('self signed certificate', ' depth=0', 30), expired])]);
    expect(g.map((x) => x.reason.slice(0, 30))).toEqual(['diags.log:20 says expired at d']);
  });

  it('a connection without an id is named by its index in the list', () => {
    const line = verify('certificate has expired', ' depth=0');
    const f = logDisagreementFindings([own('self_signed_leaf', 1, []), own('chain_trusted', undefined, [line]), own('chain_trusted', undefined, [line])]);
    expect(f.map((x) => x.connections)).toEqual([[1, 2]]);
    const acc = new LogDisagreements();
    acc.add(own('chain_trusted', undefined, [line]), 41);
    acc.add(own('chain_trusted', 0, [line]), 42);
    expect(acc.findings().map((x) => x.connections)).toEqual([[41, 0]]);
    // id 0 is an id, first or later
    const first = new LogDisagreements();
    first.add(own('chain_trusted', 0, [line]), 42);
    expect(first.findings().map((x) => x.connections)).toEqual([[0]]);
  });
});
