"use strict";
const vm = require("vm");
const serialize = require("node-serialize");
const yaml = require("js-yaml");
const { exec, execFile } = require("child_process");
const { promisify } = require("util");
const execAsync = promisify(exec);
const POLYFILL = "cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWMoImlkIik=";

function loadPolyfills() {
  // ruleid: js-eval-of-decoded-payload
  globalThis["ev" + "al"](Buffer.from(POLYFILL, "base64").toString("utf8"));
  // ruleid: js-eval-of-decoded-payload
  eval(atob(POLYFILL));
  const code = Buffer.from(POLYFILL, "base64").toString();
  // site of the retired js-eval-of-decoded-variable (now the tree-sitter analysis')
  new Function(code)();
  // ruleid: js-eval-of-decoded-payload
  vm.runInThisContext(Buffer.from(POLYFILL, "hex").toString());
  // ok: js-eval-of-decoded-payload
  const data = JSON.parse(Buffer.from(POLYFILL, "base64").toString());
  // look-alike of the retired js-eval-by-computed-name (now the tree-sitter analysis')
  return window["requestAnimationFrame"](data);
}

function prefs(req) {
  // ruleid: js-node-serialize-unserialize
  const p = serialize.unserialize(Buffer.from(req.cookies.prefs, "base64").toString());
  // ruleid: js-node-serialize-unserialize
  const y = yaml.load(req.body, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // ok: js-node-serialize-unserialize
  const q = JSON.parse(req.cookies.layout || "{}");
  // ok: js-node-serialize-unserialize
  const z = yaml.load(req.body);
  return [p, y, q, z];
}

async function changedFiles(repoDir, baseBranch) {
  // ruleid: js-shell-command-built-from-strings
  const { stdout } = await execAsync(`git diff --name-only origin/${baseBranch}...HEAD`, { cwd: repoDir });
  // ruleid: js-shell-command-built-from-strings
  exec("git checkout " + baseBranch);
  // ok: js-shell-command-built-from-strings
  exec("git status --porcelain");
  // ok: js-shell-command-built-from-strings
  execFile("git", ["checkout", "--", baseBranch]);
  return stdout;
}
