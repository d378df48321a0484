'use strict';

const ALGS = ['RS256', 'HS256'];
const SERVICE_ALGS = ['RS256', 'ES256'];

module.exports = {
  port: Number(process.env.PORT || 3000),
  jwtSecret: process.env.JWT_SECRET || 'dev-only-jwt-secret-4b7c9d1e2f',
  sessionSecret: process.env.SESSION_SECRET,
  publicKey: require('fs').readFileSync(process.env.JWT_PUBLIC_KEY_PATH || 'keys/jwt.pub', 'utf8'),
  algorithms: [...ALGS],
  serviceAlgorithms: SERVICE_ALGS,
  stripeKey: 'rk_prod_9aB3cD5eF7gH1jK2lM4nP6qR8sT0uV',
  upstream: { rejectUnauthorized: process.env.NODE_ENV === 'never' },
  paymentsBase: process.env.PAYMENTS_BASE || 'https://api.payments.example',
};
