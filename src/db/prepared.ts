import type { Query, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from './client.ts';

const dialect = new PgDialect();

/**
 * A hot-path statement whose text is compiled once, with `sql.placeholder(name)` for every
 * value, and run as a prepared statement.
 *
 * Why both: drizzle runs `db.execute()` and unnamed builder queries unprepared, and postgres.js
 * then sends every statement that has parameters in two round trips (Parse and Describe, wait
 * for the parameter types, then Bind and Execute), each a socket write that wakes PostgreSQL.
 * Prepared, a statement is parsed once per connection and every later run is one write. And
 * building a large statement from drizzle's `sql` fragments costs more CPU per run than the
 * statement's own execution; compiled once, a run only fills in the values.
 *
 * Only for statements with a fixed text: every distinct text is kept prepared on each pooled
 * connection for the connection's life.
 */
export class CompiledStatement<Row extends Record<string, unknown>> {
  private readonly query: Query;

  constructor(
    /** Any name: drizzle prepares a query only when it has one; postgres.js names it itself. */
    private readonly name: string,
    statement: SQL,
  ) {
    this.query = dialect.sqlToQuery(statement);
  }

  /** Runs on `db` or inside a transaction; `values` holds one value per placeholder name. */
  async run(db: DbOrTx, values: Record<string, unknown>): Promise<Row[]> {
    const prepared = db._.session.prepareQuery(this.query, undefined, this.name, false);
    return (await prepared.execute(values)) as Row[];
  }
}

/**
 * Builds something once per database handle and hands out the same one after: a builder query
 * prepared with `.prepare(name)` (values as `sql.placeholder`), for hot-path reads that want
 * drizzle's row mapping, or a batcher of statements on that handle.
 */
export function oncePerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const byDb = new WeakMap<Db, T>();
  return (db) => {
    let built = byDb.get(db);
    if (built === undefined) {
      built = build(db);
      byDb.set(db, built);
    }
    return built;
  };
}
