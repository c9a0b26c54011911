import { createHash, createHmac, createPrivateKey, createPublicKey, hkdfSync, type KeyObject, sign, verify } from 'node:crypto';

/**
 * The audit key's two uses, derived from one operator secret that never enters the database:
 * an HMAC key for the chain (whoever holds only the database or a backup cannot recompute a
 * valid chain after editing it) and an Ed25519 key pair for checkpoints (a forum can check a
 * checkpoint with the public key alone, and nobody without the secret can forge one).
 */
export interface AuditKey {
  /** Names the key in checkpoints: the first 16 hex digits of SHA-256 of the public key. */
  id: string;
  chainKey: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as base64 SPKI DER, for forums to pin. */
  publicKeyBase64: string;
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function deriveAuditKey(secret: string): AuditKey {
  const material = Buffer.from(secret, 'utf8');
  const chainKey = Buffer.from(hkdfSync('sha256', material, 'hearth-audit', 'chain hmac', 32));
  const seed = Buffer.from(hkdfSync('sha256', material, 'hearth-audit', 'checkpoint ed25519', 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    id: createHash('sha256').update(spki).digest('hex').slice(0, 16),
    chainKey,
    privateKey,
    publicKey,
    publicKeyBase64: spki.toString('base64'),
  };
}

/** HMAC-SHA256 with the chain key, or plain SHA-256 for a chain written without a key. */
export function chainDigest(key: AuditKey | undefined, material: string): string {
  return key ? createHmac('sha256', key.chainKey).update(material).digest('hex') : createHash('sha256').update(material).digest('hex');
}

export function signCheckpoint(key: AuditKey, material: string): string {
  return sign(null, Buffer.from(material), key.privateKey).toString('base64');
}

export function checkCheckpointSignature(publicKey: KeyObject, material: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(material), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
