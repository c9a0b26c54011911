import { randomBytes } from 'node:crypto';

/** Test databases live on the local server; the run id keeps parallel runs apart. */
const BASE = 'postgres://127.0.0.1:5432';
export const RUN_ID = process.env.HEARTH_TEST_RUN_ID ?? `${process.pid}${randomBytes(2).toString('hex')}`;
process.env.HEARTH_TEST_RUN_ID = RUN_ID;

export function databaseUrl(name: string): string {
  return `${BASE}/${name}`;
}

export function adminUrl(): string {
  return databaseUrl('postgres');
}
