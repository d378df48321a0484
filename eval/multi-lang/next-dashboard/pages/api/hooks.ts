import type { NextApiRequest, NextApiResponse } from 'next';
import https from 'https';
import { settings } from '../../lib/settings';

const tls = { ...settings.tls };
const strict = { rejectUnauthorized: true };

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const r = https.request(`${settings.apiBase}/hooks`, { method: 'POST', ...tls });
  r.end(JSON.stringify(req.body));
  const r2 = https.request(`${settings.apiBase}/hooks/v2`, { method: 'POST', ...strict });
  r2.end(JSON.stringify(req.body));
  res.status(202).end();
}
