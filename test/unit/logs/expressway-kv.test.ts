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
