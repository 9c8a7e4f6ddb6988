import { describe, expect, it } from 'vitest';
import { matchAtsMessage, splitDiag } from '../../../src/logs/formats/ats-messages.js';

describe('Traffic Server verification messages (expressway-reference §2.1)', () => {
  it('Core server certificate verification failed (OpenSSL 1.1.1 spelling, seed line)', () => {
    const m = matchAtsMessage('Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215) depth=0');
    expect(m).toEqual({ kind: 'verify_failed', sni: 'cucm.steven.lab', action: 'Terminate', error: 'self signed certificate', serverName: 'cucm.steven.lab', serverIp: '10.48.36.215', depth: 0 });
  });

  it('OpenSSL 3 spelling, multi-word error, depth 1, Continue', () => {
    const m = matchAtsMessage('Core server certificate verification failed for (random.com). Action=Continue Error=self-signed certificate in certificate chain server=127.0.0.1(127.0.0.1) depth=1');
    expect(m).toMatchObject({ kind: 'verify_failed', action: 'Continue', error: 'self-signed certificate in certificate chain', serverIp: '127.0.0.1', depth: 1 });
  });

  it('tolerates the extra whitespace of wrapped lines', () => {
    const m = matchAtsMessage('Core server certificate verification failed for  ( cucm.steven.lab ).  Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215)   depth=0');
    expect(m).toMatchObject({ kind: 'verify_failed', sni: 'cucm.steven.lab', depth: 0 });
  });

  it('SNI (…) not in certificate, for a name and for an IP', () => {
    expect(matchAtsMessage('SNI (bar.com) not in certificate. Action=Terminate server=bar.com(127.0.0.1)'))
      .toEqual({ kind: 'sni_mismatch', sni: 'bar.com', action: 'Terminate', serverName: 'bar.com', serverIp: '127.0.0.1' });
    expect(matchAtsMessage('SNI ( 10.48.36.215 ) not in certificate . Action=Terminate server=10.48.36.215(10.48.36.215)'))
      .toMatchObject({ kind: 'sni_mismatch', sni: '10.48.36.215', serverIp: '10.48.36.215' });
  });

  it('Origin hostname (…) not in certificate (9.2.15+)', () => {
    expect(matchAtsMessage('Origin hostname (cucm.lab) not in certificate. Action=Terminate server=cucm.lab(10.1.1.1)'))
      .toEqual({ kind: 'origin_hostname_mismatch', sni: 'cucm.lab', action: 'Terminate', serverName: 'cucm.lab', serverIp: '10.1.1.1' });
  });

  it('plugin verification (two spaces before Action)', () => {
    expect(matchAtsMessage('TS_EVENT_SSL_VERIFY_SERVER plugin failed the origin certificate check for cucm.lab.  Action=Terminate SNI=cucm.lab'))
      .toEqual({ kind: 'plugin_verify_failed', serverName: 'cucm.lab', action: 'Terminate', sni: 'cucm.lab' });
  });

  it('SSL connection failed, with and without spaces (doc 225746 formatting)', () => {
    expect(matchAtsMessage("SSL connection failed for 'cucm.steven.lab': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed"))
      .toEqual({ kind: 'ssl_connect_failed', sni: 'cucm.steven.lab', error: 'error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed' });
    expect(matchAtsMessage("SSL connection failed for 'expc.cisco.com':error:14094418: SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca"))
      .toMatchObject({ sni: 'expc.cisco.com', error: 'error:14094418: SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca' });
  });

  it('ATS 8.0.0 legacy texts', () => {
    expect(matchAtsMessage('Hostname verification failed for (cucm.lab) but still continuing with the connection establishment'))
      .toEqual({ kind: 'hostname_verify_failed_legacy', sni: 'cucm.lab', action: 'Continue' });
    expect(matchAtsMessage('Hostname verification failed for (cucm.lab)')).toEqual({ kind: 'hostname_verify_failed_legacy', sni: 'cucm.lab', action: 'Terminate' });
    expect(matchAtsMessage('IP verification failed for (10.1.1.1)')).toMatchObject({ kind: 'hostname_verify_failed_legacy', sni: '10.1.1.1' });
    expect(matchAtsMessage('Server certificate verification failed for cucm.lab but still continuing with the connection establishment'))
      .toMatchObject({ kind: 'server_verify_failed_legacy', sni: 'cucm.lab', action: 'Continue' });
    expect(matchAtsMessage('Server certificate verification failed but continuing with the connection establishment:cucm.lab:self signed certificate'))
      .toMatchObject({ kind: 'server_verify_failed_legacy', sni: 'cucm.lab', error: 'self signed certificate', action: 'Continue' });
  });

  it('ATS 9.2 error.log CONNECT: attempt fail (real line) carries ip:port and the remapped URL', () => {
    const m = matchAtsMessage("CONNECT: attempt fail [CONNECTION_ERROR] to 127.0.93.2:28443 for host='name.test' connection_result=ENET_SSL_CONNECT_FAILED [-20104] error=ENET_SSL_CONNECT_FAILED [-20104] attempts=0 url='https://cucm.example.lab:28443/CSFemusk.cnf.xml'");
    expect(m).toEqual({
      kind: 'connect_attempt_failed', reason: 'CONNECTION_ERROR', serverIp: '127.0.93.2', serverPort: 28443,
      url: 'https://cucm.example.lab:28443/CSFemusk.cnf.xml', serverName: 'cucm.example.lab', error: 'ENET_SSL_CONNECT_FAILED [-20104]',
    });
  });

  it('CONNECT lines with an IPv6 endpoint and the older "could not connect" wording', () => {
    expect(matchAtsMessage("CONNECT: attempt fail [CONNECTION_ERROR] to [2001:db8::5]:6972 for host='x' url='https://[2001:db8::5]:6972/a'"))
      .toMatchObject({ serverIp: '2001:db8::5', serverPort: 6972, serverName: '2001:db8::5' });
    expect(matchAtsMessage("CONNECT:[0] could not connect [CONNECTION_ERROR] to 10.1.1.1 for 'https://cucm.lab:8443/x'"))
      .toMatchObject({ kind: 'connect_attempt_failed', serverIp: '10.1.1.1', serverPort: null, serverName: 'cucm.lab' });
  });

  it('trims the blanks a wrapped line leaves inside the parentheses of every message', () => {
    expect(matchAtsMessage('SNI (bar.com) not in certificate. Action=Terminate server=bar.com( 127.0.0.1 )'))
      .toEqual({ kind: 'sni_mismatch', sni: 'bar.com', action: 'Terminate', serverName: 'bar.com', serverIp: '127.0.0.1' });
    expect(matchAtsMessage('Origin hostname ( cucm.lab ) not in certificate. Action=Continue server=cucm.lab( 10.1.1.1 )'))
      .toEqual({ kind: 'origin_hostname_mismatch', sni: 'cucm.lab', action: 'Continue', serverName: 'cucm.lab', serverIp: '10.1.1.1' });
    expect(matchAtsMessage("SSL connection failed for 'cucm.lab': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed  "))
      .toMatchObject({ error: 'error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed' });
    expect(matchAtsMessage("SSL connection failed for 'cucm.lab':  ")).toEqual({ kind: 'ssl_connect_failed', sni: 'cucm.lab', error: null });
    expect(matchAtsMessage('Server certificate verification failed but continuing with the connection establishment: cucm.lab :self signed certificate  '))
      .toEqual({ kind: 'server_verify_failed_legacy', sni: 'cucm.lab', action: 'Continue', error: 'self signed certificate' });
  });

  it('a line that only mentions a message keyword is no event (and no exception)', () => {
    // each keyword opens its matcher; a line without the message's shape falls through to null
    expect(matchAtsMessage('TS_EVENT_SSL_VERIFY_SERVER hook: continuing')).toBeNull();
    expect(matchAtsMessage('SSL connection failed for cucm.lab (no quotes)')).toBeNull();
    expect(matchAtsMessage('CONNECT: tunnel to 10.1.1.1 established')).toBeNull();
    // the legacy server text cut before its name and error: no SNI, no error, Terminate
    expect(matchAtsMessage('Server certificate verification failed')).toEqual({ kind: 'server_verify_failed_legacy', sni: null, action: 'Terminate', error: null });
  });

  it('CONNECT: error= up to the next key or the end of the line; connection_result= when there is no error=', () => {
    expect(matchAtsMessage("CONNECT: attempt fail [CONNECTION_ERROR] to 10.1.1.1:8443 for host='a' connection_result=ECONNREFUSED [111]  error=ECONNREFUSED [111]  attempts=1 url='https://a:8443/'"))
      .toMatchObject({ error: 'ECONNREFUSED [111]' });
    expect(matchAtsMessage("CONNECT: attempt fail [CONNECTION_ERROR] to 10.1.1.1:8443 for host='a' error=ENET_SSL_CONNECT_FAILED [-20104] "))
      .toMatchObject({ error: 'ENET_SSL_CONNECT_FAILED [-20104]', url: null, serverName: null });
    expect(matchAtsMessage("CONNECT: attempt fail [CONNECTION_ERROR] to 10.1.1.1:8443 for host='a' connection_result=ECONNREFUSED [111]  attempts=1 url='https://a:8443/'"))
      .toMatchObject({ error: 'ECONNREFUSED [111]', serverName: 'a' });
    expect(matchAtsMessage("CONNECT: attempt fail [CONNECTION_ERROR] to 10.1.1.1:8443 for host='a' connection_result=ECONNREFUSED [111] "))
      .toMatchObject({ error: 'ECONNREFUSED [111]' });
    expect(matchAtsMessage("CONNECT: attempt fail [CONNECTION_ERROR] to 10.1.1.1:8443 for host='a' attempts=1"))
      .toMatchObject({ error: null });
  });

  it('CONNECT: the older wording keeps its reason (null without one); a URL host is read only from the scheme on, brackets only in pairs', () => {
    expect(matchAtsMessage("CONNECT:[0] could not connect [CONNECTION_ERROR] to 10.1.1.1 for 'https://cucm.lab:8443/x'")).toEqual({
      kind: 'connect_attempt_failed', reason: 'CONNECTION_ERROR', serverIp: '10.1.1.1', serverPort: null, url: 'https://cucm.lab:8443/x', serverName: 'cucm.lab',
    });
    expect(matchAtsMessage("CONNECT: could not connect to 10.1.1.1:8443 for 'https://cucm.lab/x'")).toMatchObject({ reason: null, serverPort: 8443 });
    // a path, not a URL: no host, even if a URL appears further in it
    expect(matchAtsMessage("CONNECT: could not connect to 10.1.1.1 for '/go?to=https://other.lab/'")).toMatchObject({ url: '/go?to=https://other.lab/', serverName: null });
    // an unclosed or unopened bracket is not an IPv6 literal: the host stays as written
    expect(matchAtsMessage("CONNECT: could not connect to 10.1.1.1 for 'https://[2001:db8::5/x'")).toMatchObject({ serverName: '[2001' });
    expect(matchAtsMessage("CONNECT: could not connect to 10.1.1.1 for 'https://cucm.lab]/x'")).toMatchObject({ serverName: 'cucm.lab]' });
  });

  it('other lines do not match', () => {
    expect(matchAtsMessage('Traffic Server is fully initialized.')).toBeNull();
    expect(matchAtsMessage('verification failed for nothing in particular')).toBeNull();
  });
});

describe('splitDiag', () => {
  it('thread tag and level, with or without spaces', () => {
    expect(splitDiag('[ET_NET 0] WARNING: Core …')).toEqual({ thread: 'ET_NET 0', level: 'WARNING', text: 'Core …' });
    expect(splitDiag("[ET_NET 1]ERROR:SSL connection failed for 'a'")).toMatchObject({ level: 'ERROR', text: "SSL connection failed for 'a'" });
    expect(splitDiag('traffic_server NOTE: remap.config loading ...')).toMatchObject({ thread: 'traffic_server', level: 'NOTE' });
    expect(splitDiag('{0x2b5c3b9fe700} WARNING: x')).toMatchObject({ level: 'WARNING', text: 'x' });
    expect(splitDiag('UTCTime="2022-07-11 16:55:26,006" Module="x"')).toBeNull();
  });
});
