import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { adminUrl, databaseUrl, RUN_ID } from './database-names.ts';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const name = `hearth_test_${RUN_ID}_${randomBytes(4).toString('hex')}`;
  const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.unsafe(`create database "${name}" template "${template}"`);
        break;
      } catch (err) {
        // 55006: another clone is reading the template right now; try again shortly.
        if ((err as { code?: string }).code !== '55006' || attempt > 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await sql.end();
  }
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
