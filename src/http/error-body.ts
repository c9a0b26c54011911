import { z } from '@hono/zod-openapi';
import type { ErrorCode } from '../errors.ts';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_signature' }),
      message: z.string().openapi({ example: 'webhook-signature does not match the body' }),
      request_id: z.string().openapi({ example: '3f1c2a9e-5b7d-4c1e-9a0b-1d2e3f4a5b6c' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error', {
    example: {
      error: {
        code: 'invalid_signature',
        message: 'webhook-signature does not match the body',
        request_id: '3f1c2a9e-5b7d-4c1e-9a0b-1d2e3f4a5b6c',
      },
    },
  });

export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorBody {
  return { error: { code, message, request_id: requestId, ...(details === undefined ? {} : { details }) } };
}
