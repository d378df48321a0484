'use strict';

const path = require('path');
const { execFile } = require('child_process');

const PLUGINS = new Set(['csv', 'xlsx', 'pdf']);

function parseBasicAuth(header) {
  const raw = Buffer.from(String(header || '').replace(/^Basic /, ''), 'base64').toString('utf8');
  const i = raw.indexOf(':');
  return i < 0 ? null : { user: raw.slice(0, i), pass: raw.slice(i + 1) };
}

function jwtPayloadForDisplay(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

function loadExporter(name) {
  if (!PLUGINS.has(name)) throw new Error('unknown exporter');
  return require(path.join(__dirname, 'exporters', name));
}

function gitRevision(cb) {
  execFile('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname }, (err, out) => cb(err, String(out).trim()));
}

module.exports = { parseBasicAuth, jwtPayloadForDisplay, loadExporter, gitRevision };
