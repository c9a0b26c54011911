import { isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { type AuditCheckpoint, auditEvents } from '../db/schema/index.ts';
import { createCheckpoint } from './audit-checkpoints.ts';
import type { AuditKey } from './audit-key.ts';
import { pendingEvents, sealBatch } from './audit-log.ts';

export interface SealerOptions {
  key?: AuditKey;
  batchSize?: number;
  /** How long a nudge waits for others to join it (default 25 ms). */
  nudgeDelayMs?: number;
  /** A forum gets a checkpoint of its new head when its last one is at least this old. */
  checkpointIntervalMs: number;
  /** Called after the commit with each new checkpoint (to send it to the forum). */
  onCheckpoint?: (checkpoint: AuditCheckpoint) => Promise<void>;
  onError?: (err: Error, forumId?: string) => void;
  /** Reports what waits to be sealed after each periodic pass (for metrics). */
  onPending?: (pending: { count: number; oldest_seconds: number }) => void;
}

/**
 * Links a forum's unsealed audit events into its hash chain, in batches: one transaction per
 * batch under the forum's advisory lock, which only sealers take. Callers nudge it after a
 * commit; nudges while a pass runs fold into one more pass, so under load each pass seals
 * everything committed meanwhile. A periodic pass seals what nobody nudged about (events from
 * another process, or left by a crash).
 */
export class AuditSealer {
  private readonly inFlight = new Map<string, { again: boolean; promise: Promise<number> }>();
  private readonly lastCheckpointAt = new Map<string, number>();
  private readonly scheduled = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly db: DbOrTx,
    private readonly opts: SealerOptions,
  ) {}

  /**
   * Seals soon, without waiting. Nudges within `nudgeDelayMs` of the first fold into one pass,
   * so a busy forum is sealed in batches rather than a transaction per event.
   */
  nudge(forumId: string): void {
    if (this.scheduled.has(forumId)) return;
    const timer = setTimeout(() => {
      this.scheduled.delete(forumId);
      this.seal(forumId).catch((err: Error) => this.opts.onError?.(err, forumId));
    }, this.opts.nudgeDelayMs ?? 25);
    timer.unref();
    this.scheduled.set(forumId, timer);
  }

  /** Seals every event of the forum committed before the call; resolves with how many this pass sealed. */
  seal(forumId: string): Promise<number> {
    const running = this.inFlight.get(forumId);
    if (running) {
      running.again = true;
      return running.promise;
    }
    const state = { again: false, promise: Promise.resolve(0) };
    state.promise = (async () => {
      let total = 0;
      try {
        do {
          state.again = false;
          for (;;) {
            const n = await this.sealOnce(forumId);
            total += n;
            if (n < (this.opts.batchSize ?? 1000)) break;
          }
        } while (state.again);
      } finally {
        this.inFlight.delete(forumId);
      }
      return total;
    })();
    this.inFlight.set(forumId, state);
    return state.promise;
  }

  /** Seals every forum that has unsealed events (or just `forumIds`). */
  async sealAll(forumIds?: string[]): Promise<number> {
    const forums =
      forumIds ??
      (await this.db.selectDistinct({ forumId: auditEvents.forumId }).from(auditEvents).where(isNull(auditEvents.seq))).map(
        (r) => r.forumId,
      );
    let total = 0;
    for (const forumId of forums) total += await this.seal(forumId);
    return total;
  }

  /** Periodic passes until the returned function is called. */
  start(intervalMs: number): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        await this.sealAll();
        this.opts.onPending?.(await pendingEvents(this.db));
      } catch (err) {
        this.opts.onError?.(err as Error);
      }
      if (!stopped) timer = setTimeout(tick, intervalMs).unref();
    };
    timer = setTimeout(tick, intervalMs).unref();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  private async sealOnce(forumId: string): Promise<number> {
    const { key } = this.opts;
    let checkpoint: AuditCheckpoint | undefined;
    const due = key && Date.now() - (this.lastCheckpointAt.get(forumId) ?? 0) >= this.opts.checkpointIntervalMs;
    const { sealed } = await sealBatch(this.db, forumId, {
      key,
      batchSize: this.opts.batchSize,
      within:
        due && key
          ? async (tx, head) => {
              checkpoint = await createCheckpoint(tx, key, forumId, head);
            }
          : undefined,
    });
    if (checkpoint) {
      this.lastCheckpointAt.set(forumId, Date.now());
      await this.opts.onCheckpoint?.(checkpoint).catch((err: Error) => this.opts.onError?.(err, forumId));
    }
    return sealed;
  }
}
