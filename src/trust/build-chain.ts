/**
 * Path building as OpenSSL 3.0 build_chain() does it (crypto/x509/x509_vfy.c) with the defaults
 * Traffic Server gets: X509_V_FLAG_TRUSTED_FIRST on, partial chains off, no DANE, depth limit 100.
 *
 * From the current top of the chain: first ask the trust store for its issuer
 * (X509_STORE_CTX_get1_issuer: certificates whose subject equals the issuer name, in store order,
 * accepted by likelyIssued; the first one valid at the verification time wins, else the one that
 * expires last). A self-signed top found in the store is swapped for the store copy only when
 * identical; a different certificate with the same name ("mimic") does not count. Once a store
 * certificate is in the chain, only the store is searched. Otherwise extend with the server's own
 * certificates (find_issuer: same rule, in the order sent, each used once). The chain is trusted
 * when a store certificate in it is self-signed. Issuers are NOT chosen by signature: OpenSSL
 * checks signatures later (internal_verify), so a same-name impostor gives "certificate signature
 * failure", exactly as on the Expressway.
 */
import type { ParsedCert } from '../x509/parsed-cert.js';
import { certTime, likelyIssued, meta, selfIssued, selfSigned } from './openssl-checks.js';
import { X509_ERR, type VerifyIssue } from './verify-errors.js';

/** X509_VERIFY_PARAM depth of the "default" table entry (100) + 1, as build_chain computes it. */
const MAX_DEPTH = 101;

export interface BuiltChain {
  /** leaf first; store certificates come after the server's */
  chain: ParsedCert[];
  /** how many leading chain entries came from the server */
  numUntrusted: number;
  trusted: boolean;
  issues: VerifyIssue[];
  /** store certificates that have the leaf's subject but are not the leaf (the "mimic" case) */
  mimics: ParsedCert[];
}

/** get0_best_issuer_sk: first candidate valid at `atSec`, else the latest notAfter (first on ties). */
function bestIssuer(candidates: readonly ParsedCert[], subject: ParsedCert, atSec: number, exclude: (c: ParsedCert) => boolean): ParsedCert | null {
  let best: ParsedCert | null = null;
  for (const c of candidates) {
    if (exclude(c) || !likelyIssued(c, subject)) continue;
    if (certTime(c, atSec) === 0) return c;
    const na = meta(c).notAfterMs ?? -Infinity;
    if (best === null || na > (meta(best).notAfterMs ?? -Infinity)) best = c;
  }
  return best;
}

/** Store certificates indexed by subject name key, in store order. */
export function indexStore(store: readonly ParsedCert[]): Map<string, ParsedCert[]> {
  const bySubject = new Map<string, ParsedCert[]>();
  for (const c of store) {
    const k = meta(c).subjectKey;
    const list = bySubject.get(k);
    if (list) list.push(c);
    else bySubject.set(k, [c]);
  }
  return bySubject;
}

export function buildChain(leaf: ParsedCert, untrusted: readonly ParsedCert[], store: Map<string, ParsedCert[]>, atSec: number): BuiltChain {
  const chain: ParsedCert[] = [leaf];
  let numUntrusted = 1;
  const pool = untrusted.filter((c) => c !== leaf);
  const mimics: ParsedCert[] = [];
  const TRUSTED = 2, UNTRUSTED = 1;
  let search = TRUSTED | UNTRUSTED;
  let trusted = false;
  const inChain = (c: ParsedCert) => chain.some((x) => x.sha256 === c.sha256);
  const isTrustedFrom = (from: number) => chain.slice(from).some(selfSigned);

  while (search !== 0) {
    let num = chain.length;
    if (search & TRUSTED) {
      const curr = chain[num - 1];
      const issuer = num > MAX_DEPTH ? null : bestIssuer(store.get(meta(curr).issuerKey) ?? [], curr, atSec, () => false);
      if (issuer) {
        let ss = selfSigned(curr);
        let ok = true;
        if (!ss) {
          chain.push(issuer);
          ss = selfSigned(issuer);
        } else if (issuer.sha256 !== curr.sha256) {
          ok = false; // self-signed untrusted mimic
          if (!mimics.includes(issuer)) mimics.push(issuer);
        } else {
          num -= 1;
          numUntrusted = num;
          chain[num] = issuer;
        }
        if (ok) {
          search &= ~UNTRUSTED;
          if (isTrustedFrom(num)) {
            trusted = true;
            search = 0;
            continue;
          }
          if (!ss) continue;
        }
      }
      if ((search & UNTRUSTED) === 0) break;
    }
    if (search & UNTRUSTED) {
      const curr = chain[chain.length - 1];
      const firstSelfIssued = chain.length === 1 && selfIssued(curr);
      const issuer =
        selfSigned(curr) || chain.length > MAX_DEPTH
          ? null
          : bestIssuer(pool, curr, atSec, (c) => !firstSelfIssued && inChain(c));
      if (!issuer) {
        search = (search & ~UNTRUSTED) | TRUSTED;
        continue;
      }
      pool.splice(pool.indexOf(issuer), 1);
      chain.push(issuer);
      numUntrusted++;
    }
  }

  const issues: VerifyIssue[] = [];
  if (!trusted) {
    const num = chain.length;
    if (num > MAX_DEPTH) issues.push({ err: X509_ERR.CERT_CHAIN_TOO_LONG, depth: num - 1 });
    if (selfSigned(chain[num - 1])) {
      issues.push({ err: num === 1 ? X509_ERR.DEPTH_ZERO_SELF_SIGNED_CERT : X509_ERR.SELF_SIGNED_CERT_IN_CHAIN, depth: num - 1 });
    } else {
      issues.push({ err: numUntrusted < num ? X509_ERR.UNABLE_TO_GET_ISSUER_CERT : X509_ERR.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, depth: num - 1 });
    }
  }
  return { chain, numUntrusted, trusted, issues, mimics };
}
