"use strict";
const Stripe = require("stripe");

function login(user, password) {
  // ruleid: js-credential-compared-with-literal
  if (password === "Sup3rM@ster!" || checkHash(user, password)) return true;
  // ok: js-credential-compared-with-literal
  if (password === "") return false;
  // ok: js-credential-compared-with-literal
  return user.role === "admin";
}

function assertConfigured(secret) {
  // ok: js-credential-compared-with-literal
  if (secret === "changeme") throw new Error("set JWT_SECRET to a real secret");
}

function authenticate(req, res, next) {
  // ruleid: js-auth-skipped-on-request-flag
  if (req.query.debug === "1") return next();
  const session = verifySession(req.cookies.sid);
  if (!session) return res.status(401).end();
  return next();
}

const requireUser = (req, res, next) => {
  // ruleid: js-auth-skipped-on-request-flag
  if (process.env.SKIP_AUTH) {
    next();
    return;
  }
  // ok: js-auth-skipped-on-request-flag
  if (req.method === "OPTIONS") return next();
  return verify(req) ? next() : res.sendStatus(401);
};

function timings(req, res, next) {
  // ok: js-auth-skipped-on-request-flag
  if (req.query.debug === "1") res.locals.showTimings = true;
  return next();
}

// ok: js-hardcoded-secret-token-format, js-hardcoded-secret-assignment
const PUBLISHABLE_KEY = "pk_live_51NcW2rKx7mQ0aB3dEf9GhJ";
// ruleid: js-hardcoded-secret-token-format
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY || "sk_live_vHhJwOlDekSldSUaepuaDWDl");
// ruleid: js-hardcoded-secret-assignment
const config = { clientSecret: "a8f5f167f44f4964e6c998dee827110c" };
// ok: js-hardcoded-secret-assignment
const example = { apiKey: "your-api-key-here-xxxxxxxx" };
// ok: js-hardcoded-secret-token-format
const aws = "AKIAXXXXXXXXXXXXXXXX";
