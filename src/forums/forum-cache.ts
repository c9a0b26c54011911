import type { Db } from '../db/client.ts';
import type { Forum } from '../db/schema/index.ts';
import { getForum } from './forums.ts';

/**
 * Ingest must not query PostgreSQL per request, yet needs each forum's secret. Forums change
 * rarely, so they are cached in memory for a short time; a rotated secret takes effect within
 * `ttlMs`. Unknown forums are not cached, so a forum created a moment ago is found at once.
 */
export class ForumCache {
  private readonly entries = new Map<string, { forum: Forum; expires: number }>();
  private readonly inflight = new Map<string, Promise<Forum | undefined>>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(id: string): Promise<Forum | undefined> {
    const hit = this.entries.get(id);
    if (hit && hit.expires > Date.now()) return hit.forum;
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = getForum(this.db, id).finally(() => this.inflight.delete(id));
      this.inflight.set(id, pending);
    }
    const forum = await pending;
    if (forum) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(id, { forum, expires: Date.now() + this.ttlMs });
    }
    return forum;
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
