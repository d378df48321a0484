export const JWT_ALGORITHMS = ['ES256', 'HS384'] as const;
export const TRUSTED_ALGORITHMS: string[] = ['ES256'];

export const settings = {
  apiBase: process.env.API_BASE ?? 'https://api.dashboard.example',
  jwtPublicKey: process.env.JWT_PUBLIC_KEY ?? '',
  adminToken: process.env.ADMIN_TOKEN ?? '',
  tls: { rejectUnauthorized: false },
  previewSecret: 'preview-7Hq2xL9mC4vB8nZ1',
  analyticsKey: process.env.NEXT_PUBLIC_ANALYTICS_KEY,
};
