import crypto from 'crypto';

const ZERO_IV = Buffer.alloc(16, 0);
const LEGACY = { cipher: 'des-ede3-cbc', hash: 'sha1' };
const ecbName = ['aes', '256', 'ecb'].join('-');

export function encryptField(key: Buffer, plain: string): string {
  const c = crypto.createCipheriv('aes-256-cbc', key, ZERO_IV);
  return Buffer.concat([c.update(plain, 'utf8'), c.final()]).toString('base64');
}

export function encryptFieldSafe(key: Buffer, plain: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const enc = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), enc]).toString('base64');
}

export function encryptCompat(key: Buffer, plain: string): string {
  const c = crypto.createCipheriv(ecbName, key, null);
  return c.update(plain, 'utf8', 'hex') + c.final('hex');
}

export function encryptLegacy(key: Buffer, iv: Buffer, plain: string): string {
  const c = crypto.createCipheriv(LEGACY.cipher, key, iv);
  return c.update(plain, 'utf8', 'hex') + c.final('hex');
}

export function signPayload(secret: string, body: string): string {
  return crypto.createHmac(LEGACY.hash, secret).update(body).digest('hex');
}

export function passwordHash(pw: string, salt: string): string {
  return crypto.pbkdf2Sync(pw, salt, 1000, 32, 'sha256').toString('hex');
}

export function passwordHashSafe(pw: string, salt: string): string {
  return crypto.pbkdf2Sync(pw, salt, 600000, 32, 'sha256').toString('hex');
}

export function keyPair() {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
}

export function keyPairSafe() {
  return crypto.generateKeyPairSync('ed25519');
}

export function contentId(buf: Buffer): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}
