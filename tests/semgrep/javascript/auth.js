"use strict";
const Stripe = require("stripe");

function login(user, password) {
  // site of the retired js-credential-compared-with-literal (now the tree-sitter analysis')
  if (password === "Sup3rM@ster!" || checkHash(user, password)) return true;
  // look-alike of the retired js-credential-compared-with-literal (now the tree-sitter analysis')
  if (password === "") return false;
  // look-alike of the retired js-credential-compared-with-literal (now the tree-sitter analysis')
  return user.role === "admin";
}

function assertConfigured(secret) {
  // look-alike of the retired js-credential-compared-with-literal (now the tree-sitter analysis')
  if (secret === "changeme") throw new Error("set JWT_SECRET to a real secret");
}

function authenticate(req, res, next) {
  // site of the retired js-auth-skipped-on-request-flag (now the tree-sitter analysis')
  if (req.query.debug === "1") return next();
  const session = verifySession(req.cookies.sid);
  if (!session) return res.status(401).end();
  return next();
}

const requireUser = (req, res, next) => {
  // site of the retired js-auth-skipped-on-request-flag (now the tree-sitter analysis')
  if (process.env.SKIP_AUTH) {
    next();
    return;
  }
  // look-alike of the retired js-auth-skipped-on-request-flag (now the tree-sitter analysis')
  if (req.method === "OPTIONS") return next();
  return verify(req) ? next() : res.sendStatus(401);
};

function timings(req, res, next) {
  // look-alike of the retired js-auth-skipped-on-request-flag (now the tree-sitter analysis')
  if (req.query.debug === "1") res.locals.showTimings = true;
  return next();
}

// look-alike of the retired js-hardcoded-secret-token-format, js-hardcoded-secret-assignment (now the tree-sitter analysis')
const PUBLISHABLE_KEY = "pk_live_51NcW2rKx7mQ0aB3dEf9GhJ";
// site of the retired js-hardcoded-secret-token-format (now the tree-sitter analysis')
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY || "sk_live_vHhJwOlDekSldSUaepuaDWDl");
// site of the retired js-hardcoded-secret-assignment (now the tree-sitter analysis')
const config = { clientSecret: "a8f5f167f44f4964e6c998dee827110c" };
// look-alike of the retired js-hardcoded-secret-assignment (now the tree-sitter analysis')
const example = { apiKey: "your-api-key-here-xxxxxxxx" };
// look-alike of the retired js-hardcoded-secret-token-format (now the tree-sitter analysis')
const aws = "AKIAXXXXXXXXXXXXXXXX";
