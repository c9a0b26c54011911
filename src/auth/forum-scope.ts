import { type Column, eq, inArray, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.ts';

/** Forums a key may see: every forum for admins, else the ones it names. */
export type ForumScope = 'all' | readonly string[];

/** True when a key with this scope may see the forum. */
export function inScope(scope: ForumScope, forumId: string): boolean {
  return scope === 'all' || scope.includes(forumId);
}

/** Throws not_found for anything outside the scope: a key learns nothing of other forums. */
export function assertInScope(scope: ForumScope, forumId: string, what: string): void {
  if (!inScope(scope, forumId)) throw new AppError('not_found', `no ${what}`);
}

/**
 * Restricts a query on `column` (a forum id column) to the forums a key may see, and to
 * `forumId` when one is named; a named forum outside the scope is a 404.
 */
export function scopedForumCondition(column: Column, scope: ForumScope, forumId: string | undefined): SQL | undefined {
  if (forumId !== undefined) {
    assertInScope(scope, forumId, `forum ${forumId}`);
    return eq(column, forumId);
  }
  return scope === 'all' ? undefined : inArray(column, [...scope]);
}
