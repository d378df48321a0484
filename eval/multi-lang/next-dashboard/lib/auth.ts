import { jwtVerify, importSPKI, decodeProtectedHeader, type JWTPayload } from 'jose';
import jwt, { type VerifyOptions } from 'jsonwebtoken';
import { createHmac, timingSafeEqual, createHash, randomBytes } from 'crypto';
import type { NextApiRequest } from 'next';
import { JWT_ALGORITHMS, TRUSTED_ALGORITHMS, settings } from './settings';

const baseOptions: VerifyOptions = { audience: 'dashboard' };

export async function userFromRequest(req: NextApiRequest): Promise<JWTPayload | null> {
  const token = req.cookies['session'];
  if (!token) return null;
  const opts: VerifyOptions = { ...baseOptions, algorithms: [...JWT_ALGORITHMS] };
  return jwt.verify(token, settings.jwtPublicKey, opts) as JWTPayload;
}

export async function serviceFromRequest(req: NextApiRequest): Promise<JWTPayload> {
  const token = String(req.headers.authorization ?? '').slice(7);
  const key = await importSPKI(settings.jwtPublicKey, 'ES256');
  const { payload } = await jwtVerify(token, key, { algorithms: TRUSTED_ALGORITHMS });
  return payload;
}

export async function partnerFromRequest(req: NextApiRequest): Promise<JWTPayload> {
  const token = String(req.headers['x-partner-token'] ?? '');
  const { alg } = decodeProtectedHeader(token);
  const key = await importSPKI(settings.jwtPublicKey, alg!);
  const { payload } = await jwtVerify(token, key, { algorithms: [alg!] });
  return payload;
}

export function unsafeClaims(token: string): JWTPayload {
  return jwt.decode(token) as JWTPayload;
}

export function sessionFromUnverified(req: NextApiRequest): string {
  const claims = jwt.decode(String(req.cookies['session'])) as { sub: string };
  return claims.sub;
}

export function isAdmin(req: NextApiRequest): boolean {
  const presented = String(req.headers['x-admin-token'] ?? '');
  return presented == settings.adminToken;
}

export function isAdminSafe(req: NextApiRequest): boolean {
  const presented = Buffer.from(String(req.headers['x-admin-token'] ?? ''));
  const expected = Buffer.from(settings.adminToken);
  return settings.adminToken.length > 0 && presented.length === expected.length && timingSafeEqual(presented, expected);
}

export function verifyPreview(req: NextApiRequest): boolean {
  const sig = createHmac('sha256', settings.previewSecret).update(String(req.query.slug)).digest('hex');
  return sig.localeCompare(String(req.query.sig)) === 0;
}

export function avatarHash(email: string): string {
  return createHash('md5').update(email.trim().toLowerCase()).digest('hex');
}

export function csrfToken(): string {
  return randomBytes(24).toString('base64url');
}
