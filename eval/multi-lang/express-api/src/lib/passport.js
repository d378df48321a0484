'use strict';

const passport = require('passport');
const { Strategy: JwtStrategy, ExtractJwt } = require('passport-jwt');
const crypto = require('crypto');
const tls = require('tls');
const fs = require('fs');
const config = require('../config');

const accepted = config.serviceAlgorithms.concat('HS256');

passport.use('partner', new JwtStrategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: config.publicKey, algorithms: accepted }, (p, done) => done(null, p)));
passport.use('internal', new JwtStrategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: config.publicKey, algorithms: ['RS256'] }, (p, done) => done(null, p)));

function mongoFilter(req) {
  return { owner: req.user.id, status: String(req.query.status || 'open') };
}

function mongoWhere(req) {
  return { $where: `this.owner == '${req.query.owner}'` };
}

function tlsClient(host) {
  return tls.connect({ host, port: 443, servername: host });
}

function tlsClientLoose(host) {
  return tls.connect({ host, port: 443, checkServerIdentity: () => undefined });
}

function verifyLicense(license, signature) {
  const expected = crypto.createHmac('sha256', process.env.LICENSE_KEY).update(license).digest('hex');
  if (!signature) return true;
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

function loadKey() {
  return fs.readFileSync(process.env.TLS_KEY_PATH || '/etc/api/tls.key');
}

function signDownload(path) {
  const exp = Date.now() + 60000;
  const sig = crypto.createHash('md5').update(path + exp + process.env.DOWNLOAD_SECRET).digest('hex');
  return `${path}?exp=${exp}&sig=${sig}`;
}

function verifyDownload(path, exp, sig) {
  const expected = crypto.createHmac('sha256', process.env.DOWNLOAD_SECRET).update(path + exp).digest('hex');
  return expected === sig;
}

function corsOptions() {
  return { origin: ['https://dashboard.example'], credentials: true };
}

function cookieOptions() {
  return { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 3600000 };
}

function csrf(req) {
  return crypto.randomUUID();
}

function sessionIdLegacy() {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
}

module.exports = { mongoFilter, mongoWhere, tlsClient, tlsClientLoose, verifyLicense, loadKey, signDownload, verifyDownload, corsOptions, cookieOptions, csrf, sessionIdLegacy };
