/**
 * Handshake message types (RFC 8446 §4, RFC 5246 §7.4, RFC 6066 §8, RFC 8879) and the content
 * types of the record layer (RFC 8446 §5.1). SSL 2.0 messages (draft-hickman-netscape-ssl-00) are
 * recorded in message histories as 0x100 + their SSLv2 message type.
 */
import { hex4 } from './grease.js';

export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  heartbeat: 24,
} as const;
export type ContentType = (typeof ContentType)[keyof typeof ContentType];

export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  helloVerifyRequest: 3,
  newSessionTicket: 4,
  endOfEarlyData: 5,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
  certificateUrl: 21,
  certificateStatus: 22,
  supplementalData: 23,
  keyUpdate: 24,
  compressedCertificate: 25,
  messageHash: 254,
} as const;
export type HandshakeType = (typeof HandshakeType)[keyof typeof HandshakeType];

/** SSL 2.0 message types, as recorded in histories (0x100 + type). */
export const Sslv2Message = {
  clientHello: 0x101,
  clientMasterKey: 0x102,
  serverHello: 0x104,
} as const;

const NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'hello_request'], [1, 'client_hello'], [2, 'server_hello'], [3, 'hello_verify_request'],
  [4, 'new_session_ticket'], [5, 'end_of_early_data'], [6, 'hello_retry_request'], [8, 'encrypted_extensions'],
  [11, 'certificate'], [12, 'server_key_exchange'], [13, 'certificate_request'], [14, 'server_hello_done'],
  [15, 'certificate_verify'], [16, 'client_key_exchange'], [20, 'finished'], [21, 'certificate_url'],
  [22, 'certificate_status'], [23, 'supplemental_data'], [24, 'key_update'], [25, 'compressed_certificate'],
  [254, 'message_hash'],
  [0x101, 'sslv2_client_hello'], [0x102, 'sslv2_client_master_key'], [0x104, 'sslv2_server_hello'],
]);

/** true for the handshake types a TLS handshake header may carry (used to judge a resync point). */
export function isKnownHandshakeType(t: number): boolean {
  return t < 0x100 && NAMES.has(t);
}

/** `client_hello`, `sslv2_server_hello`, else the number. */
export function handshakeTypeName(t: number): string {
  return NAMES.get(t) ?? hex4(t);
}
