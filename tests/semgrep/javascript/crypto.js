"use strict";
const crypto = require("crypto");
const { createHash } = require("node:crypto");

function hashPassword(password) {
  // ruleid: js-weak-hash-security-context
  return crypto.createHash("md5").update(password).digest("hex");
}

function fingerprint(user) {
  // ruleid: js-weak-hash-security-context
  return createHash("sha1").update(user.apiToken).digest("hex");
}

function contentMd5(buffer) {
  // ok: js-weak-hash-security-context
  return crypto.createHash("md5").update(buffer).digest("base64");
}

function etag(body) {
  // ok: js-weak-hash-security-context
  return crypto.createHash("sha256").update(body).digest("hex");
}

function legacy(key, data) {
  // site of the retired js-broken-cipher (now the tree-sitter analysis')
  const c = crypto.createCipheriv("des-ede3-cbc", key, crypto.randomBytes(8));
  // site of the retired js-broken-cipher (now the tree-sitter analysis')
  const r = crypto.createCipheriv("rc4", key, null);
  // look-alike of the retired js-broken-cipher (now the tree-sitter analysis')
  const g = crypto.createCipheriv("aes-256-gcm", key, crypto.randomBytes(12));
  return [c, r, g];
}

const LOOKUP_MODE = ["aes", "256", "ecb"].join("-");
const MODE = "aes-128-" + "ecb";

function ecb(key, data) {
  // site of the retired js-ecb-mode (now the tree-sitter analysis')
  crypto.createCipheriv("aes-256-ecb", key, null);
  // site of the retired js-ecb-mode (now the tree-sitter analysis')
  crypto.createCipheriv(LOOKUP_MODE, key, null);
  // site of the retired js-ecb-mode (now the tree-sitter analysis')
  crypto.createCipheriv(MODE, key, null);
  // look-alike of the retired js-ecb-mode (now the tree-sitter analysis')
  return crypto.createCipheriv("aes-256-cbc", key, crypto.randomBytes(16));
}

const FIXED_IV = Buffer.alloc(16, 0);
function ivs(key) {
  // ruleid: js-static-iv
  crypto.createCipheriv("aes-256-cbc", key, Buffer.alloc(16));
  // ruleid: js-static-iv
  crypto.createCipheriv("aes-256-cbc", key, "0123456789abcdef");
  // ruleid: js-static-iv
  crypto.createCipheriv("aes-256-gcm", key, FIXED_IV);
  const iv = crypto.randomBytes(12);
  // ok: js-static-iv
  return crypto.createCipheriv("aes-256-gcm", key, iv);
}

function old(password, data) {
  // ruleid: js-deprecated-create-cipher
  return crypto.createCipher("aes-256-cbc", password).update(data);
}

function keys() {
  // ruleid: js-short-key
  crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
  // ok: js-short-key
  crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });
  // ruleid: js-weak-curve
  crypto.generateKeyPairSync("ec", { namedCurve: "secp192k1" });
  // ok: js-weak-curve
  return crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}

function newSessionId() {
  // ruleid: js-math-random-secret
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}

const makeResetCode = () =>
  // ruleid: js-math-random-secret
  String(Math.floor(Math.random() * 1e6)).padStart(6, "0");

function build(user) {
  // ruleid: js-math-random-secret
  const csrfToken = Math.random().toString(16);
  return { user, csrfToken };
}

function jitteredDelay(attempt) {
  // ok: js-math-random-secret
  return Math.floor(Math.random() * 250 * 2 ** attempt);
}

function pickColor(palette) {
  // ok: js-math-random-secret
  return palette[Math.floor(Math.random() * palette.length)];
}

function checkSig(req, secret) {
  const signature = req.get("X-Signature") || "";
  const expected = crypto.createHmac("sha256", secret).update(req.body).digest("hex");
  // ruleid: js-timing-unsafe-comparison
  if (signature === expected) return true;
  // ruleid: js-timing-unsafe-comparison
  if (req.headers["x-token"] != user.apiToken) return false;
  // ok: js-timing-unsafe-comparison
  if (signature.length !== expected.length) return false;
  // ok: js-timing-unsafe-comparison
  if (fileHash !== manifest.sha256Hash) throw new Error("corrupt download");
  // ok: js-timing-unsafe-comparison
  if (signature === "") return false;
  // ok: js-timing-unsafe-comparison
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
