import jwt, { type JwtPayload } from "jsonwebtoken";
import { decodeJwt, jwtVerify } from "jose";

const ASYMMETRIC = ["RS256", "ES256"];
const ACCEPTED = [...ASYMMETRIC, "HS256"];
const RSA_ONLY = ["RS256", "RS512"];
const OPTS = { algorithms: ["PS256", "HS512"], audience: "x" };

export function a(token: string, key: string) {
  // site of the retired js-jwt-mixed-algorithms (now the tree-sitter analysis')
  return jwt.verify(token, key, { algorithms: ["RS256", "HS256"], audience: "orders" });
}

export function b(token: string, key: string) {
  // site of the retired js-jwt-mixed-algorithms-constant (now the tree-sitter analysis')
  return jwt.verify(token, key, { algorithms: ACCEPTED });
}

export function c(token: string, key: string) {
  // site of the retired js-jwt-mixed-algorithms (now the tree-sitter analysis')
  return jwt.verify(token, key, OPTS);
}

export async function d(token: string, jwks: any) {
  // site of the retired js-jwt-mixed-algorithms (now the tree-sitter analysis')
  return jwtVerify(token, jwks, { algorithms: ["EdDSA", "HS256"] });
}

export function e(token: string, key: string) {
  // look-alike of the retired js-jwt-mixed-algorithms, js-jwt-mixed-algorithms-constant (now the tree-sitter analysis')
  return jwt.verify(token, key, { algorithms: ["RS256"] });
}

export function f(token: string, key: string) {
  // look-alike of the retired js-jwt-mixed-algorithms, js-jwt-mixed-algorithms-constant (now the tree-sitter analysis')
  return jwt.verify(token, key, { algorithms: RSA_ONLY });
}

export function g(token: string, secret: string) {
  // look-alike of the retired js-jwt-mixed-algorithms, js-jwt-mixed-algorithms-constant (now the tree-sitter analysis')
  return jwt.verify(token, secret, { algorithms: ["HS256", "HS512"] });
}

export function h(token: string, key: string) {
  // site of the retired js-jwt-none-algorithm (now the tree-sitter analysis')
  return jwt.verify(token, key, { algorithms: ["RS256", "none"] });
}

export function sign(claims: object) {
  // site of the retired js-jwt-none-algorithm (now the tree-sitter analysis')
  return jwt.sign(claims, "", { algorithm: "none" });
}

export function requireAdmin(req: any, res: any, next: any): void {
  const header = req.header("authorization") ?? "";
  // site of the retired js-jwt-decode-without-verify (now the tree-sitter analysis')
  const claims = jwt.decode(header.replace(/^Bearer\s+/i, "")) as JwtPayload | null;
  if (claims?.role !== "admin") return res.sendStatus(403);
  next();
}

export function tenantOf(token: string) {
  // site of the retired js-jwt-decode-without-verify (now the tree-sitter analysis')
  return decodeJwt(token).tenant;
}

export function kidThenVerify(token: string, keys: Record<string, string>) {
  // look-alike of the retired js-jwt-decode-without-verify (now the tree-sitter analysis')
  const header = jwt.decode(token, { complete: true })?.header;
  return jwt.verify(token, keys[header?.kid ?? ""], { algorithms: ["RS256"] });
}

export async function joseVerified(token: string, key: any) {
  // look-alike of the retired js-jwt-decode-without-verify (now the tree-sitter analysis')
  const peek = decodeJwt(token);
  const { payload } = await jwtVerify(token, key, { algorithms: ["ES256"], issuer: peek.iss });
  return payload;
}

const base64 = { decode: (s: string) => Buffer.from(s, "base64").toString() };
export function notJwt(s: string) {
  // look-alike of the retired js-jwt-decode-without-verify (now the tree-sitter analysis')
  return base64.decode(s);
}
