import { z } from 'zod';

export const HealthResponse = z.strictObject({
  status: z.literal('ok'),
  version: z.string(),
  authMode: z.enum(['none', 'oidc']),
  store: z.string(),
  time: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
