"use strict";
const https = require("https");
const axios = require("axios");
const INSECURE = false;

function partnerAgent() {
  // ruleid: js-reject-unauthorized-false
  return new https.Agent({ keepAlive: true, rejectUnauthorized: false });
}

function viaConst() {
  // ruleid: js-reject-unauthorized-false
  return axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: INSECURE }) });
}

function later(opts) {
  // ruleid: js-reject-unauthorized-false
  opts.rejectUnauthorized = 0;
  return opts;
}

function internal(ca) {
  // ok: js-reject-unauthorized-false
  return new https.Agent({ keepAlive: true, ca, rejectUnauthorized: true });
}

function legacy(options) {
  if (options.legacyProxy) {
    // ruleid: js-node-tls-reject-unauthorized
    process.env["NODE_TLS_" + "REJECT_UNAUTHORIZED"] = "0";
  }
  // ruleid: js-node-tls-reject-unauthorized
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // ok: js-node-tls-reject-unauthorized
  process.env.NODE_EXTRA_CA_CERTS = "/etc/ssl/acme.pem";
  // ruleid: js-node-tls-reject-unauthorized
  return require("child_process").spawn("node", ["x.js"], { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: "0" } });
}

// ruleid: js-check-server-identity-disabled
const agent = new https.Agent({ checkServerIdentity: () => undefined });

// ruleid: js-obsolete-tls-version
const legacyAgent = new https.Agent({ minVersion: "TLSv1" });
// ok: js-obsolete-tls-version
const modernAgent = new https.Agent({ minVersion: "TLSv1.2" });
