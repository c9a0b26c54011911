import type { Db } from '../db/client.ts';
import type { Forum } from '../db/schema/index.ts';
import { getForum } from './forums.ts';

export interface ForumCacheOptions {
  /** A record younger than this is served without asking the database. */
  ttlMs: number;
  /**
   * While the database cannot answer, the last record it gave is served for this long after it
   * gave it: ingest keeps accepting for known forums through database maintenance, but a secret
   * rotated or a forum deleted meanwhile cannot be seen, so the grace is bounded.
   */
  staleMs: number;
  /** How long a refresh may take before the last known record is served instead. */
  refreshTimeoutMs: number;
  maxEntries: number;
}

const defaults: ForumCacheOptions = { ttlMs: 30_000, staleMs: 3_600_000, refreshTimeoutMs: 500, maxEntries: 10_000 };

/**
 * Ingest must not query PostgreSQL per request, yet needs each forum's secret. Forums change
 * rarely, so they are cached in memory for a short time; a rotated secret takes effect within
 * `ttlMs`. Unknown forums are not cached, so a forum created a moment ago is found at once.
 */
export class ForumCache {
  private readonly entries = new Map<string, { forum: Forum; fetchedAt: number }>();
  private readonly inflight = new Map<string, Promise<Forum | undefined>>();
  private readonly options: ForumCacheOptions;
  /** How many times a stale record stood in for an unreachable database (for metrics and tests). */
  staleServed = 0;

  constructor(
    private readonly db: Db,
    options: Partial<ForumCacheOptions> = {},
  ) {
    this.options = { ...defaults, ...options };
  }

  async get(id: string): Promise<Forum | undefined> {
    const hit = this.entries.get(id);
    const age = hit ? Date.now() - hit.fetchedAt : Number.POSITIVE_INFINITY;
    if (hit && age < this.options.ttlMs) return hit.forum;
    const refresh = this.refresh(id);
    if (!hit || age > this.options.staleMs) return refresh;
    // Known forum, record due for a refresh: a database that fails or is slow does not stop
    // ingest; the refresh carries on and updates the record when it lands.
    try {
      return await withinMs(refresh, this.options.refreshTimeoutMs);
    } catch {
      this.staleServed++;
      return hit.forum;
    }
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }

  private refresh(id: string): Promise<Forum | undefined> {
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = getForum(this.db, id)
        .then((forum) => {
          if (forum) {
            if (this.entries.size >= this.options.maxEntries) this.entries.clear();
            this.entries.set(id, { forum, fetchedAt: Date.now() });
          } else {
            this.entries.delete(id);
          }
          return forum;
        })
        .finally(() => this.inflight.delete(id));
      // Nobody may be waiting on it any more (a stale record was served): never unhandled.
      pending.catch(() => {});
      this.inflight.set(id, pending);
    }
    return pending;
  }
}

function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('refresh took too long')), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
