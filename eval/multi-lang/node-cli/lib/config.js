'use strict';

const fs = require('fs');

function loadConfig(file) {
  const raw = fs.readFileSync(file, 'utf8');
  return JSON.parse(raw);
}

function loadLegacyConfig(file) {
  const raw = fs.readFileSync(file, 'utf8');
  return eval('(' + raw + ')');
}

module.exports = { loadConfig, loadLegacyConfig };
