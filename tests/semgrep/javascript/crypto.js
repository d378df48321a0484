"use strict";
const crypto = require("crypto");
const { createHash } = require("node:crypto");

function hashPassword(password) {
  // site of the retired js-weak-hash-security-context (now the tree-sitter analysis')
  return crypto.createHash("md5").update(password).digest("hex");
}

function fingerprint(user) {
  // site of the retired js-weak-hash-security-context (now the tree-sitter analysis')
  return createHash("sha1").update(user.apiToken).digest("hex");
}

function contentMd5(buffer) {
  // look-alike of the retired js-weak-hash-security-context (now the tree-sitter analysis')
  return crypto.createHash("md5").update(buffer).digest("base64");
}

function etag(body) {
  // look-alike of the retired js-weak-hash-security-context (now the tree-sitter analysis')
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
  // site of the retired js-static-iv (now the tree-sitter analysis')
  crypto.createCipheriv("aes-256-cbc", key, Buffer.alloc(16));
  // site of the retired js-static-iv (now the tree-sitter analysis')
  crypto.createCipheriv("aes-256-cbc", key, "0123456789abcdef");
  // site of the retired js-static-iv (now the tree-sitter analysis')
  crypto.createCipheriv("aes-256-gcm", key, FIXED_IV);
  const iv = crypto.randomBytes(12);
  // look-alike of the retired js-static-iv (now the tree-sitter analysis')
  return crypto.createCipheriv("aes-256-gcm", key, iv);
}

function old(password, data) {
  // site of the retired js-deprecated-create-cipher (now the tree-sitter analysis')
  return crypto.createCipher("aes-256-cbc", password).update(data);
}

function keys() {
  // site of the retired js-short-key (now the tree-sitter analysis')
  crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
  // look-alike of the retired js-short-key (now the tree-sitter analysis')
  crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });
  // site of the retired js-weak-curve (now the tree-sitter analysis')
  crypto.generateKeyPairSync("ec", { namedCurve: "secp192k1" });
  // look-alike of the retired js-weak-curve (now the tree-sitter analysis')
  return crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}

function newSessionId() {
  // site of the retired js-math-random-secret (now the tree-sitter analysis')
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}

const makeResetCode = () =>
  // site of the retired js-math-random-secret (now the tree-sitter analysis')
  String(Math.floor(Math.random() * 1e6)).padStart(6, "0");

function build(user) {
  // site of the retired js-math-random-secret (now the tree-sitter analysis')
  const csrfToken = Math.random().toString(16);
  return { user, csrfToken };
}

function jitteredDelay(attempt) {
  // look-alike of the retired js-math-random-secret (now the tree-sitter analysis')
  return Math.floor(Math.random() * 250 * 2 ** attempt);
}

function pickColor(palette) {
  // look-alike of the retired js-math-random-secret (now the tree-sitter analysis')
  return palette[Math.floor(Math.random() * palette.length)];
}

function checkSig(req, secret) {
  const signature = req.get("X-Signature") || "";
  const expected = crypto.createHmac("sha256", secret).update(req.body).digest("hex");
  // site of the retired js-timing-unsafe-comparison (now the tree-sitter analysis')
  if (signature === expected) return true;
  // site of the retired js-timing-unsafe-comparison (now the tree-sitter analysis')
  if (req.headers["x-token"] != user.apiToken) return false;
  // look-alike of the retired js-timing-unsafe-comparison (now the tree-sitter analysis')
  if (signature.length !== expected.length) return false;
  // look-alike of the retired js-timing-unsafe-comparison (now the tree-sitter analysis')
  if (fileHash !== manifest.sha256Hash) throw new Error("corrupt download");
  // look-alike of the retired js-timing-unsafe-comparison (now the tree-sitter analysis')
  if (signature === "") return false;
  // look-alike of the retired js-timing-unsafe-comparison (now the tree-sitter analysis')
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
