import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { prepareDatabase } from '../../src/db/migrate.ts';
import { adminUrl, databaseUrl, RUN_ID } from './database-names.ts';

/**
 * Migrates one template database per test run; each test file clones it (CREATE DATABASE …
 * TEMPLATE), which takes milliseconds instead of re-running migrations.
 */
export default async function setup(project: TestProject) {
  const template = `hearth_test_${RUN_ID}_tpl`;
  await prepareDatabase(databaseUrl(template));
  project.provide('templateDatabase', template);
  return async () => {
    const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
    try {
      const leftovers = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`hearth_test_${RUN_ID}_%`}`;
      for (const { datname } of leftovers) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    } finally {
      await sql.end();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
