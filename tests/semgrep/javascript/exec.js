"use strict";
const vm = require("vm");
const serialize = require("node-serialize");
const yaml = require("js-yaml");
const { exec, execFile } = require("child_process");
const { promisify } = require("util");
const execAsync = promisify(exec);
const POLYFILL = "cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWMoImlkIik=";

function loadPolyfills() {
  // site of the retired js-eval-of-decoded-payload (now the tree-sitter analysis')
  globalThis["ev" + "al"](Buffer.from(POLYFILL, "base64").toString("utf8"));
  // site of the retired js-eval-of-decoded-payload (now the tree-sitter analysis')
  eval(atob(POLYFILL));
  const code = Buffer.from(POLYFILL, "base64").toString();
  // site of the retired js-eval-of-decoded-variable (now the tree-sitter analysis')
  new Function(code)();
  // site of the retired js-eval-of-decoded-payload (now the tree-sitter analysis')
  vm.runInThisContext(Buffer.from(POLYFILL, "hex").toString());
  // look-alike of the retired js-eval-of-decoded-payload (now the tree-sitter analysis')
  const data = JSON.parse(Buffer.from(POLYFILL, "base64").toString());
  // look-alike of the retired js-eval-by-computed-name (now the tree-sitter analysis')
  return window["requestAnimationFrame"](data);
}

function prefs(req) {
  // site of the retired js-node-serialize-unserialize (now the tree-sitter analysis')
  const p = serialize.unserialize(Buffer.from(req.cookies.prefs, "base64").toString());
  // site of the retired js-node-serialize-unserialize (now the tree-sitter analysis')
  const y = yaml.load(req.body, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // look-alike of the retired js-node-serialize-unserialize (now the tree-sitter analysis')
  const q = JSON.parse(req.cookies.layout || "{}");
  // look-alike of the retired js-node-serialize-unserialize (now the tree-sitter analysis')
  const z = yaml.load(req.body);
  return [p, y, q, z];
}

async function changedFiles(repoDir, baseBranch) {
  // site of the retired js-shell-command-built-from-strings (now the tree-sitter analysis')
  const { stdout } = await execAsync(`git diff --name-only origin/${baseBranch}...HEAD`, { cwd: repoDir });
  // site of the retired js-shell-command-built-from-strings (now the tree-sitter analysis')
  exec("git checkout " + baseBranch);
  // look-alike of the retired js-shell-command-built-from-strings (now the tree-sitter analysis')
  exec("git status --porcelain");
  // look-alike of the retired js-shell-command-built-from-strings (now the tree-sitter analysis')
  execFile("git", ["checkout", "--", baseBranch]);
  return stdout;
}
