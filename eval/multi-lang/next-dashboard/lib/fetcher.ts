import { Agent } from 'undici';
import { settings } from './settings';

const dispatcher = new Agent({ connect: { rejectUnauthorized: true } });

export async function getJSON<T>(path: string): Promise<T> {
  const r = await fetch(`${settings.apiBase}${path}`, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return (await r.json()) as T;
}

export async function getJSONPinned<T>(path: string): Promise<T> {
  const r = await fetch(`${settings.apiBase}${path}`, { dispatcher } as RequestInit);
  return (await r.json()) as T;
}

export function parseState(raw: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
}
