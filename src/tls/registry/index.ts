/** The TLS registries (IANA tables): names for raw codes kept in the model. */
export { isGrease, hex4 } from './grease.js';
export { versionName, isTls13Like, TlsVersion } from './versions.js';
export { cipherSuiteName, isKnownCipherSuite } from './cipher-suites.js';
export { alertName, alertLevelName, AlertLevel } from './alerts.js';
export { extensionName, ExtensionType } from './extensions.js';
export { groupName } from './groups.js';
export { signatureSchemeName } from './sig-schemes.js';
export { handshakeTypeName, HandshakeType, ContentType, Sslv2Message } from './handshake-types.js';
