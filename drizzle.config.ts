import { defineConfig } from 'drizzle-kit';

// Only used by `npm run db:generate`; the service applies migrations itself at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
