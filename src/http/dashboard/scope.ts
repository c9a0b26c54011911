import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { ApiKey } from '../../db/schema/index.ts';
import { listForums } from '../../forums/forums.ts';

/** A form or query field left empty means "not given". */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The forums a key may pick from in filters: every forum for an admin, else its own. */
export async function forumsOf(ctx: AppContext, key: Pick<ApiKey, 'role' | 'forumIds'>): Promise<string[]> {
  if (key.role === 'admin') return (await listForums(ctx.database.db)).map((f) => f.id);
  return key.forumIds ?? [];
}
