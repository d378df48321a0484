import type { NextApiRequest, NextApiResponse } from 'next';
import { prisma } from '../../../lib/db';
import { isAdmin } from '../../../lib/auth';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (!isAdmin(req)) return res.status(403).end();
  const team = String(req.query.team ?? '');
  const rows = await prisma.$queryRawUnsafe(`SELECT * FROM "Member" WHERE team = '${team}'`);
  const safe = await prisma.$queryRaw`SELECT * FROM "Member" WHERE team = ${team}`;
  const orm = await prisma.member.findMany({ where: { team } });
  res.json({ rows, safe, orm });
}
