// Named prepared statements on PGlite. PGlite's `query` sends every statement
// unnamed (parse, describe, bind, describe, execute, sync), so PostgreSQL
// parses, analyses and plans it again on every call, and planning on a data
// folder also asks the file system for each relation's size. A statement the
// process runs again is parsed once under a name of its own and afterwards
// only bound and executed, in one call into the database (what that saves is
// measured in docs/performance.md).
import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { serialize } from 'pg-protocol';

/** What the prepared path needs of a PGlite: its protocol entry point, its two locks and its type conversions. */
export type ProtocolPglite = Pick<PGlite, 'execProtocolStream' | 'runExclusive' | '_runExclusiveTransaction' | 'parsers' | 'serializers'>;

/**
 * How many statement texts one PGlite keeps prepared. The repository's
 * statements come from a few dozen templates; a text beyond this many (a
 * statement built from unbounded input, say) runs unnamed, as PGlite's
 * `query` runs it, so the session's prepared statements stay bounded.
 */
export const MAX_PREPARED_STATEMENTS = 256;

interface Prepared {
  name: string;
  /** The parameters' type OIDs, as PostgreSQL inferred them when it parsed the text. */
  paramTypes: readonly number[];
}

/** Backend messages as PGlite parses them; only the fields read here. */
interface BackendMessage {
  name: string;
  dataTypeIDs?: number[];
  fields?: unknown[];
}

interface FieldDescription {
  name: string;
  dataTypeID: number;
}

/**
 * Statement names are unique to this copy of the module, so databases that
 * share one PGlite in turn never meet each other's, even where a name was left
 * behind (a statement prepared while its database was closing) or another
 * copy of the module (another test file's) prepared in the same session.
 */
const namePrefix = `interop_${randomBytes(4).toString('hex')}_`;
let nextName = 0;

/**
 * The statements one database prepared in its PGlite's session. A statement
 * belongs to the session, not to whoever prepared it, so a database on a
 * PGlite it was handed deallocates its own when it closes (`release`).
 */
export class PreparedStatements {
  private readonly byText = new Map<string, Prepared>();

  constructor(private readonly pglite: ProtocolPglite) {}

  /**
   * Runs `sql` with `params` as a named statement and returns its rows, or
   * null when the session holds its maximum and the text is not among them.
   * `inTransaction`: the caller holds PGlite's transaction lock (it runs
   * inside `transaction`), so only the statement lock is taken, and the file
   * system is synced at COMMIT rather than after this statement.
   */
  async run<Row>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<Row[] | null> {
    if (!this.byText.has(sql) && this.byText.size >= MAX_PREPARED_STATEMENTS) return null;
    return this.exclusive(() => this.bindAndExecute<Row>(sql, params, !inTransaction), inTransaction);
  }

  /** `work` under PGlite's statement lock and, unless the caller holds it already, its transaction lock, as `query` takes them. */
  private exclusive<T>(work: () => Promise<T>, inTransaction = false): Promise<T> {
    const statementLocked = () => this.pglite.runExclusive(work);
    return inTransaction ? statementLocked() : this.pglite._runExclusiveTransaction(statementLocked);
  }

  private async bindAndExecute<Row>(sql: string, params: readonly unknown[], syncToFs: boolean): Promise<Row[]> {
    const prepared = this.byText.get(sql) ?? (await this.prepare(sql));
    const values = params.map((param, i) => this.serializeParam(param, prepared.paramTypes[i]));
    // The stream variant hands back the parsed messages only, without also keeping a copy of the raw answer.
    const messages = await this.pglite.execProtocolStream(
      Buffer.concat([serialize.bind({ statement: prepared.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
      { syncToFs },
    );
    return this.rows<Row>(messages as BackendMessage[]);
  }

  /** Parses `sql` under a new name; a text that does not parse throws PostgreSQL's error and is not kept. */
  private async prepare(sql: string): Promise<Prepared> {
    const name = `${namePrefix}${nextName++}`;
    const messages = await this.pglite.execProtocolStream(
      Buffer.concat([serialize.parse({ name, text: sql, types: [] }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const description = (messages as BackendMessage[]).find((message) => message.name === 'parameterDescription');
    const prepared: Prepared = { name, paramTypes: description?.dataTypeIDs ?? [] };
    this.byText.set(sql, prepared);
    return prepared;
  }

  /**
   * Deallocates every statement this prepared; the session's other statements
   * stay. Closing a name the session no longer holds is not an error in the
   * protocol (unlike SQL's DEALLOCATE), so this cannot fail on one that went.
   */
  async release(): Promise<void> {
    const closes = [...this.byText.values()].map((prepared) => serialize.close({ type: 'S', name: prepared.name }));
    this.byText.clear();
    if (closes.length === 0) return;
    await this.exclusive(() => this.pglite.execProtocolStream(Buffer.concat([...closes, serialize.sync()]), { syncToFs: false }));
  }

  /** A parameter as PGlite's `query` sends it: its type's serializer, else its text (a Date as ISO 8601, whichever realm made it). */
  private serializeParam(param: unknown, type: number | undefined): string | null {
    if (param === null || param === undefined) return null;
    if (param instanceof Date) return param.toISOString();
    const serializer = type === undefined ? undefined : this.pglite.serializers[type];
    return serializer ? serializer(param) : String(param);
  }

  /** The data rows as objects keyed by column name, each value parsed by its type's parser, as PGlite's `query` returns them. */
  private rows<Row>(messages: readonly BackendMessage[]): Row[] {
    let columns: readonly FieldDescription[] = [];
    const rows: Row[] = [];
    for (const message of messages) {
      if (message.name === 'rowDescription') {
        columns = message.fields as FieldDescription[];
      } else if (message.name === 'dataRow') {
        const row: Record<string, unknown> = {};
        (message.fields as (string | null)[]).forEach((value, i) => {
          const column = columns[i]!;
          const parser = this.pglite.parsers[column.dataTypeID];
          row[column.name] = value === null ? null : parser ? parser(value, column.dataTypeID) : value;
        });
        rows.push(row as Row);
      }
    }
    return rows;
  }
}

