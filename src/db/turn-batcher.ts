/**
 * Gathers the calls made during one turn of the event loop and runs them as one batch: one
 * statement for many concurrent jobs instead of one each. The batch runs in the same turn's
 * check phase (`setImmediate`), after every I/O callback of the turn has had its say, so a
 * caller waits for no timer; a lone call is a batch of one.
 *
 * Every caller's promise settles with the batch: a batch that fails rejects all of its callers,
 * whose jobs are then retried like any job whose statement failed.
 */
export class TurnBatcher<In, Out> {
  private pending: Array<{ item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    /** Runs one batch; returns one result per item, in the items' order. */
    private readonly runBatch: (items: In[]) => Promise<Out[]>,
    private readonly maxBatch = 64,
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.runBatch(batch.map((b) => b.item)).then(
      (outs) => {
        for (const [i, b] of batch.entries()) b.resolve(outs[i] as Out);
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
      },
    );
  }
}
