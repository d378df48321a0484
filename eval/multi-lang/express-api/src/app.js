'use strict';

const express = require('express');
const cookieParser = require('cookie-parser');
const session = require('express-session');
const config = require('./config');
const admin = require('./routes/admin');
const telemetry = require('./lib/telemetry');

const app = express();
app.use(express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }));
app.use(cookieParser());
app.use(session({ secret: config.sessionSecret, resave: false, saveUninitialized: false, cookie: { secure: true, httpOnly: true } }));
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: true }));
app.use('/admin', admin);

app.use((req, res, next) => {
  if (req.ip.startsWith('10.') || req.get('x-forwarded-for') === '127.0.0.1') {
    req.trusted = true;
  }
  next();
});

telemetry.send();

app.get('/healthz', (_req, res) => res.send('ok'));

app.listen(config.port, '127.0.0.1');
