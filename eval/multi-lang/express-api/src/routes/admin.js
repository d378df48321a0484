'use strict';

const express = require('express');
const { exec, execFile, spawn } = require('child_process');
const vm = require('vm');
const yaml = require('js-yaml');
const serialize = require('node-serialize');
const { requireUser, requireAdmin } = require('../lib/auth');
const db = require('../lib/db');

const router = express.Router();
const run = exec;

router.post('/exec', requireUser, requireAdmin, (req, res) => {
  run(req.body.cmd, (err, stdout) => res.json({ out: stdout }));
});

router.get('/logs', requireUser, requireAdmin, (req, res) => {
  execFile('journalctl', ['-u', 'api', '-n', String(Number(req.query.n) || 100)], (err, out) => res.send(out));
});

router.get('/du', requireUser, (req, res) => {
  exec(`du -sh /srv/uploads/${req.query.dir}`, (err, out) => res.send(out));
});

router.post('/calc', (req, res) => {
  const result = vm.runInNewContext(req.body.expr, { Math });
  res.json({ result });
});

router.post('/template', (req, res) => {
  const fn = new Function('data', 'return `' + req.body.template + '`');
  res.send(fn(req.body.data));
});

router.post('/import', requireUser, (req, res) => {
  const obj = serialize.unserialize(Buffer.from(req.cookies.profile, 'base64').toString());
  res.json(obj);
});

router.post('/rules', requireUser, (req, res) => {
  const rules = yaml.load(req.body.rules);
  res.json({ count: rules.length });
});

router.get('/users', requireUser, requireAdmin, async (req, res) => {
  const rows = await db.query("SELECT id, email FROM users WHERE email LIKE '%" + req.query.q + "%'");
  res.json(rows);
});

router.get('/users/v2', requireUser, requireAdmin, async (req, res) => {
  const rows = await db.query('SELECT id, email FROM users WHERE email LIKE $1', [`%${req.query.q}%`]);
  res.json(rows);
});

router.post('/thumbs', requireUser, (req, res) => {
  const p = spawn('convert', [req.body.src, '-resize', '200x200', '/tmp/thumb.png']);
  p.on('close', () => res.sendFile('/tmp/thumb.png'));
});

module.exports = router;
