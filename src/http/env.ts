import type { ApiKey } from '../db/schema/index.ts';

/** Variables that middleware sets on a request for handlers further down. */
export interface HttpEnv {
  Variables: {
    requestId: string;
    apiKey?: ApiKey;
  };
}
