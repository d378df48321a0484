"use strict";
const https = require("https");
const axios = require("axios");
const INSECURE = false;

function partnerAgent() {
  // site of the retired js-reject-unauthorized-false (now the tree-sitter analysis')
  return new https.Agent({ keepAlive: true, rejectUnauthorized: false });
}

function viaConst() {
  // site of the retired js-reject-unauthorized-false (now the tree-sitter analysis')
  return axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: INSECURE }) });
}

function later(opts) {
  // site of the retired js-reject-unauthorized-false (now the tree-sitter analysis')
  opts.rejectUnauthorized = 0;
  return opts;
}

function internal(ca) {
  // look-alike of the retired js-reject-unauthorized-false (now the tree-sitter analysis')
  return new https.Agent({ keepAlive: true, ca, rejectUnauthorized: true });
}

function legacy(options) {
  if (options.legacyProxy) {
    // site of the retired js-node-tls-reject-unauthorized (now the tree-sitter analysis')
    process.env["NODE_TLS_" + "REJECT_UNAUTHORIZED"] = "0";
  }
  // site of the retired js-node-tls-reject-unauthorized (now the tree-sitter analysis')
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // look-alike of the retired js-node-tls-reject-unauthorized (now the tree-sitter analysis')
  process.env.NODE_EXTRA_CA_CERTS = "/etc/ssl/acme.pem";
  // site of the retired js-node-tls-reject-unauthorized (now the tree-sitter analysis')
  return require("child_process").spawn("node", ["x.js"], { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: "0" } });
}

// site of the retired js-check-server-identity-disabled (now the tree-sitter analysis')
const agent = new https.Agent({ checkServerIdentity: () => undefined });

// site of the retired js-obsolete-tls-version (now the tree-sitter analysis')
const legacyAgent = new https.Agent({ minVersion: "TLSv1" });
// look-alike of the retired js-obsolete-tls-version (now the tree-sitter analysis')
const modernAgent = new https.Agent({ minVersion: "TLSv1.2" });
