'use strict';

const crypto = require('crypto');
const { v4: uuidv4 } = require('uuid');

const rand = Math.random;

function resetToken() {
  return rand().toString(36).slice(2) + rand().toString(36).slice(2);
}

function resetTokenSafe() {
  return crypto.randomBytes(32).toString('base64url');
}

function otp() {
  return String(Math.floor(100000 + Math.random() * 900000));
}

function otpSafe() {
  return String(crypto.randomInt(100000, 1000000));
}

function requestId() {
  return uuidv4();
}

function shuffle(items) {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function retryDelay(attempt) {
  return Math.min(30000, 2 ** attempt * 100) + Math.random() * 100;
}

function apiKey(user) {
  user.apiKey = 'ak_' + [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');
  return user.apiKey;
}

module.exports = { resetToken, resetTokenSafe, otp, otpSafe, requestId, shuffle, retryDelay, apiKey };
