import { describe, expect, it } from 'vitest';
import { kvEvent } from '../../../src/logs/formats/expressway-kv.js';
import { hasOpenQuote, nonEmpty, parseKv, portOf } from '../../../src/logs/kv.js';

const ev = (payload: string, conts: string[] = []) => kvEvent(parseKv(payload), payload, conts);

describe('Key="Value" payloads', () => {
  it('parses quoted values, `Level="INFO":`, a space after =, first key wins', () => {
    const kv = parseKv('UTCTime="2022-07-11 16:55:26,006" Level="INFO": Detail= "Peer\'s TLS certificate identity was unacceptable" Level="X"');
    expect(kv.get('Level')).toBe('INFO');
    expect(kv.get('Detail')).toBe("Peer's TLS certificate identity was unacceptable");
    expect(hasOpenQuote('Msg="HTTP/1.1 ')).toBe(true);
    expect(hasOpenQuote('Msg="HTTP/1.1 200 "')).toBe(false);
  });

  it('Sending HTTP error response (Expressway-E, doc 117811)', () => {
    expect(ev('Event="Sending HTTP error response" Status="403" Reason="Forbidden" Dst-ip="10.48.79.80" Dst-port="50314"'))
      .toMatchObject({ kind: 'http_error_response', status: 403, reason: 'Forbidden', srcIp: '10.48.79.80', srcPort: 50314, txnId: null });
  });

  it('Sending Response with a collapsed HTTPMSG keeps only the reason phrase', () => {
    expect(ev('Detail="Sending Response" Txn-id="2" Dst-ip="10.48.79.80" Dst-port="50314" HTTPMSG: |HTTP/1.1 403 Forbidden Date: Wed, 21 May 2014 14:31:18 GMT Connection: close'))
      .toMatchObject({ kind: 'response_sent', txnId: '2', status: 403, reason: 'Forbidden' });
  });

  it('Sending Request with an HTTPMSG body: request line and Host header from continuation lines', () => {
    const r = ev('Detail="Sending Request" Txn-id="3028" TrackingID="f-1" Dst-ip="10.1.1.1" Dst-port="6972" ', ['HTTPMSG:', '|GET /CSFmarcoalh.cnf.xml HTTP/1.1', ' Host: expc.cisco.com:6972', ' Accept: */*']);
    expect(r).toMatchObject({ kind: 'request_sent', method: 'GET', url: '/CSFmarcoalh.cnf.xml', serverName: 'expc.cisco.com', serverIp: '10.1.1.1', serverPort: 6972, trackingId: 'f-1' });
  });

  it('tvcs TLS negotiation errors are kept as "other" with the 4-tuple', () => {
    expect(ev('Event="Outbound TLS Negotiation Error" Service="SIP" Src-ip="10.48.80.161" Src-port="25697" Dst-ip="10.48.36.171" Dst-port="7001" Detail= "Peer\'s TLS certificate identity was unacceptable" Protocol="TLS" Common-name="10.48.36.17 1"'))
      .toMatchObject({ kind: 'other', srcPort: 25697, serverIp: '10.48.36.171', serverPort: 7001, reason: "Peer's TLS certificate identity was unacceptable" });
  });

  it('unrelated entries give nothing; bad ports are null', () => {
    expect(ev('Module="network.sip" Level="DEBUG": Action="Sent" Local-ip="10.1.1.1" Dst-port="5061"')).toBeNull();
    expect(ev('Detail="Sending Request" Dst-ip="10.1.1.1" Dst-port="99999"')).toMatchObject({ serverPort: null });
  });
});

describe('Key="Value" tokenizer details', () => {
  const all = (s: string) => Object.fromEntries(parseKv(s));

  it('keys: a letter first, then word characters, dots and hyphens; empty values kept', () => {
    expect(all('Src-ip="10.1.1.1" a.b_c-9="x" TrackingID="" 9bad="n" _u="n"')).toEqual({ 'Src-ip': '10.1.1.1', 'a.b_c-9': 'x', TrackingID: '' });
  });

  it('a key glued to a word, dot or hyphen before it is not a key (no match in the middle of a token)', () => {
    expect(all('xKey="1" .Key="2" -Key="3" Key="4"')).toEqual({ xKey: '1', Key: '4' });
    expect(all('Reason="a"Detail="b"')).toEqual({ Reason: 'a', Detail: 'b' });
  });

  it('at most one space after =, none before it; a value may hold spaces, colons and newlines but no quote', () => {
    expect(all('A= "1" B=  "2" C ="3" D="x: y\nz"')).toEqual({ A: '1', D: 'x: y\nz' });
    expect(all('A="unterminated B="2"')).toEqual({ A: 'unterminated B=' });
  });

  it('a repeated key keeps its first value; parsing restarts on every call', () => {
    expect(parseKv('Level="INFO" Level="DEBUG"').get('Level')).toBe('INFO');
    expect(parseKv('Level="DEBUG"').get('Level')).toBe('DEBUG');
    expect(parseKv('no pairs here').size).toBe(0);
  });

  it('hasOpenQuote counts every quote', () => {
    expect(hasOpenQuote('')).toBe(false);
    expect(hasOpenQuote('"')).toBe(true);
    expect(hasOpenQuote('A="1" B="')).toBe(true);
    expect(hasOpenQuote('A="1" B="2"')).toBe(false);
    expect(hasOpenQuote('""""')).toBe(false);
  });

  it('portOf: 1 to 5 digits up to 65535, spaces trimmed', () => {
    expect(portOf(undefined)).toBeNull();
    expect(portOf('')).toBeNull();
    expect(portOf('0')).toBe(0);
    expect(portOf(' 8443 ')).toBe(8443);
    expect(portOf('65535')).toBe(65535);
    expect(portOf('65536')).toBeNull();
    expect(portOf('123456')).toBeNull();
    expect(portOf('84a3')).toBeNull();
    expect(portOf('-1')).toBeNull();
  });

  it('nonEmpty trims and gives null for missing or blank values', () => {
    expect(nonEmpty(undefined)).toBeNull();
    expect(nonEmpty('')).toBeNull();
    expect(nonEmpty('   ')).toBeNull();
    expect(nonEmpty(' 10.1.1.1 ')).toBe('10.1.1.1');
  });
});

describe('Key="Value" entries → event fields (each field from its own key)', () => {
  const U = 'UTCTime="2022-07-11 16:55:26,006" Module="network.http.trafficserver" Level="INFO": ';

  it('Receive Request: client address, request line and MRA target; without a request line, method and url are null', () => {
    expect(ev(`${U}Detail="Receive Request" Txn-id="191" TrackingID="bb0c8492" Src-ip="127.0.0.1" Src-port="35766" Last-via-addr="" Msg="GET http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvNjk3Mg/CSFemusk.cnf.xml HTTP/1.1"`))
      .toEqual({
        kind: 'request_received', txnId: '191', trackingId: 'bb0c8492', srcIp: '127.0.0.1', srcPort: 35766, method: 'GET',
        url: 'http://vcs_control.steven.lab:8443/c3RldmVuLmxhYi9odHRwcy9jdWNtLnN0ZXZlbi5sYWIvNjk3Mg/CSFemusk.cnf.xml',
        mra: { domain: 'steven.lab', scheme: 'https', host: 'cucm.steven.lab', port: 6972 },
      });
    // DEBUG entry whose HTTPMSG block lost its request line (only headers and the closing pipe)
    expect(ev(`${U}Detail="Receive Request" Txn-id="144" Src-ip="127.0.0.1" Src-port="30044" `, ['HTTPMSG: ', ' Accept: */*', ' |']))
      .toMatchObject({ kind: 'request_received', srcIp: '127.0.0.1', method: null, url: null, mra: null });
  });

  it('Sending Request: the Host header without its port (name, IPv4, bracketed IPv6 with or without port); a bare IPv6 is kept whole', () => {
    const host = (h: string) => ev(`${U}Detail="Sending Request" Txn-id="3" Dst-ip="10.1.1.1" Dst-port="6972" `, ['HTTPMSG:', '|GET /x.cnf.xml HTTP/1.1', ` Host: ${h}`])?.serverName;
    expect(host('cucm.steven.lab:6972')).toBe('cucm.steven.lab');
    expect(host('cucm.steven.lab')).toBe('cucm.steven.lab');
    expect(host('10.48.36.215:8443')).toBe('10.48.36.215');
    expect(host('[2001:db8::10]:6972')).toBe('2001:db8::10');
    expect(host('[2001:db8::10]')).toBe('2001:db8::10');
    expect(host('2001:db8::10')).toBe('2001:db8::10');
  });

  it('Receive Response: server address and status; no status line gives nulls', () => {
    expect(ev(`${U}Detail="Receive Response" Txn-id="189" TrackingID="" Src-ip="10.48.36.215" Src-port="8443" Msg="HTTP/1.1 200 "`))
      .toEqual({ kind: 'response_received', txnId: '189', trackingId: null, serverIp: '10.48.36.215', serverPort: 8443, status: 200, reason: null });
    expect(ev(`${U}Detail="Receive Response" Txn-id="189" Src-ip="10.48.36.215" Src-port="8443" `))
      .toMatchObject({ kind: 'response_received', serverIp: '10.48.36.215', status: null, reason: null });
  });

  it('status line: the reason is trimmed, blanks inside it collapse, and it is null when only headers follow the code', () => {
    const sent = (msg: string) => ev(`${U}Detail="Sending Response" Txn-id="191" Dst-ip="127.0.0.1" Dst-port="35766" Msg="${msg}"`);
    expect(sent('HTTP/1.1 502 connect failed ')).toMatchObject({ status: 502, reason: 'connect failed' });
    // a reason broken over lines by the technote's rendering (joined with line breaks)
    expect(sent('HTTP/1.1 502 connect\n\nfailed')).toMatchObject({ status: 502, reason: 'connect failed' });
    // Tomcat (CUCM) sends no reason phrase; collapsed HTTPMSG: the headers are not the reason
    expect(ev(`${U}Detail="Receive Response" Txn-id="2" Src-ip="10.48.36.215" Src-port="8443" HTTPMSG: |HTTP/1.1 200 Date: Wed, 21 May 2014 14:31:18 GMT Connection: close Content-Length: 0`))
      .toMatchObject({ status: 200, reason: null });
    expect(ev(`${U}Detail="Receive Response" Txn-id="2" Src-ip="10.48.36.215" Src-port="8443" HTTPMSG: |HTTP/1.1 403 Forbidden Date: Wed, 21 May 2014 14:31:18 GMT`))
      .toMatchObject({ status: 403, reason: 'Forbidden' });
  });

  it('Request Allowed: target host and port from the Request URL (default ports by scheme, IPv6), reason and method', () => {
    const allowed = (url: string) => ev(`Event="Request Allowed" Detail="Access allowed" Reason="In allow list" Username="emusk" Method="GET" Request="${url}" UTCTime="2022-07-11 16:55:25,916"`);
    expect(allowed('https://cucm.steven.lab:8443/cucm-uds/user/emusk/devices'))
      .toEqual({ kind: 'request_allowed', txnId: null, trackingId: null, method: 'GET', url: 'https://cucm.steven.lab:8443/cucm-uds/user/emusk/devices', serverName: 'cucm.steven.lab', serverPort: 8443, reason: 'In allow list', mra: null });
    expect(allowed('https://cucm.steven.lab/cucm-uds/user/emusk/devices')).toMatchObject({ serverName: 'cucm.steven.lab', serverPort: 443 });
    expect(allowed('HTTPS://cucm.steven.lab/x')).toMatchObject({ serverPort: 443 });
    expect(allowed('http://cucm.steven.lab/x')).toMatchObject({ serverPort: 80 });
    expect(allowed('HTTP://cucm.steven.lab/x')).toMatchObject({ serverPort: 80 });
    expect(allowed('wss://cucm.steven.lab/x')).toMatchObject({ serverName: 'cucm.steven.lab', serverPort: null });
    expect(allowed('https://[2001:db8::10]:6972/CSFemusk.cnf.xml')).toMatchObject({ serverName: '2001:db8::10', serverPort: 6972 });
    expect(allowed('https://[2001:db8::10]/x')).toMatchObject({ serverName: '2001:db8::10', serverPort: 443 });
    // not an absolute URL (a URL only in its query): no target
    expect(allowed('/cucm-uds/user?next=https://cucm.steven.lab:8443/')).toMatchObject({ url: '/cucm-uds/user?next=https://cucm.steven.lab:8443/', serverName: null, serverPort: null });
  });

  it('TrackingId (hybrid services spelling) is the tracking id too; TrackingID wins', () => {
    expect(ev('Detail="Sending Request" Txn-id="5" TrackingId="f-2" Dst-ip="10.1.1.1" Dst-port="8443"')).toMatchObject({ trackingId: 'f-2' });
    expect(ev('Detail="Sending Request" Txn-id="5" TrackingId="f-2" TrackingID="f-1" Dst-ip="10.1.1.1" Dst-port="8443"')).toMatchObject({ trackingId: 'f-1' });
  });

  it('Detail and Event are compared trimmed', () => {
    expect(ev('Detail=" Sending Request " Txn-id="5" Dst-ip="10.1.1.1" Dst-port="8443"')).toMatchObject({ kind: 'request_sent', serverPort: 8443 });
    expect(ev('Event=" Sending HTTP error response " Status="502" Reason="connect failed"')).toMatchObject({ kind: 'http_error_response', status: 502 });
  });

  it('a TLS / SSL / certificate word in Event or in Detail alone: "other", with both ends and the certificate name', () => {
    const tail = 'Src-ip="10.48.80.161" Src-port="25697" Dst-ip="10.48.36.171" Dst-port="7001" Protocol="TLS" Common-name="cucm.steven.lab"';
    const fields = { kind: 'other', txnId: null, trackingId: null, srcIp: '10.48.80.161', srcPort: 25697, serverIp: '10.48.36.171', serverPort: 7001, serverName: 'cucm.steven.lab' };
    expect(ev(`Event="Outbound TLS Negotiation Error" Service="SIP" ${tail}`)).toEqual({ ...fields, reason: 'Outbound TLS Negotiation Error' });
    expect(ev(`Detail="SSL handshake failed" ${tail}`)).toEqual({ ...fields, reason: 'SSL handshake failed' });
    expect(ev(`Event="Outbound Negotiation Error" Detail="certificate expired" ${tail}`)).toEqual({ ...fields, reason: 'certificate expired' });
    expect(ev(`Event="Outbound Negotiation Error" Detail="Peer reset" ${tail}`)).toBeNull();
  });
});
