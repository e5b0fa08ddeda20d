import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;
type Value = string | number | null;
export type QueryParams = Record<string, Value | readonly Value[]>;

/** Most shapes a query keeps compiled (one per length of its list parameters), least recently used out. */
const SHAPES_PER_DIALECT = 64;

/** Distinguishes markers from any value a caller could pass. */
const MARK = '\u0000twinsync-parameter:';

/** Most SQL texts given a name for PostgreSQL to keep prepared, per connection. */
const MAX_PREPARED = 256;
const preparedNames = new Map<string, string>();

/**
 * The name under which PostgreSQL may keep `sql` prepared (see dialect.ts), if it is the SQL of a
 * compiled-once query: fixed text, explicit columns, run again and again.
 */
export function preparedName(sql: string): string | undefined {
  return preparedNames.get(sql);
}

/**
 * Kysely builds an operation tree and compiles it to SQL on every execution; on the create path that
 * took more CPU than SQLite took to run the statements. A query made with `compileOnce` is built and
 * compiled once per shape (per dialect, and per length of each list parameter) with a marker in place
 * of every parameter; after that, a call only puts its values where the markers were and runs the
 * SQL it already has. The same SQL text each time also makes the SQLite statement cache cheaper,
 * and lets PostgreSQL keep the statement prepared (preparedName).
 *
 * `build` must take every variable part of the query from `params`, and use each of them as a
 * value (not inside a larger value or the SQL text): compiling refuses a query where a marker did not
 * come out as a parameter of its own. Values the query holds itself (constants) stay as compiled.
 * The store's Kysely has no plugins; with plugins the query is built as usual every time.
 */
export function compileOnce<P extends QueryParams, R>(build: (db: Db, params: P) => Compilable<R>): (db: Db, params: P) => Promise<R[]> {
  // Per dialect adapter (SQLite and PostgreSQL compile differently); shared by transactions.
  const byAdapter = new WeakMap<object, Map<string, Template>>();
  return async (db, params) => {
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) return (await db.executeQuery(build(db, params))).rows;
    let shapes = byAdapter.get(executor.adapter);
    if (!shapes) byAdapter.set(executor.adapter, (shapes = new Map()));
    const shape = shapeOf(params);
    let template = shapes.get(shape);
    if (template) {
      shapes.delete(shape);
    } else {
      template = compileTemplate(db, build, params);
      if (shapes.size >= SHAPES_PER_DIALECT) shapes.delete(shapes.keys().next().value!);
    }
    shapes.set(shape, template);
    const parameters = template.slots.map((slot) => (slot.key === undefined ? slot.constant : pick(params, slot.key, slot.index)));
    return (await db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters))).rows;
  };
}

interface Slot {
  /** The parameter a marker stood for, or undefined for a constant of the query. */
  key?: string;
  index?: number;
  constant?: unknown;
}

interface Template {
  sql: string;
  slots: Slot[];
}

function shapeOf(params: QueryParams): string {
  let shape = '';
  for (const key in params) {
    const value = params[key];
    if (Array.isArray(value)) shape += `${key}:${value.length};`;
  }
  return shape;
}

function pick(params: QueryParams, key: string, index: number | undefined): unknown {
  const value = params[key];
  return index === undefined ? value : (value as readonly Value[])[index];
}

function compileTemplate<P extends QueryParams, R>(db: Db, build: (db: Db, params: P) => Compilable<R>, params: P): Template {
  const markers = {} as Record<string, string | string[]>;
  const expected = new Map<string, Slot>();
  for (const key in params) {
    const value = params[key];
    if (Array.isArray(value)) {
      markers[key] = value.map((_, index) => {
        const marker = `${MARK}${key}:${index}`;
        expected.set(marker, { key, index });
        return marker;
      });
    } else {
      markers[key] = `${MARK}${key}`;
      expected.set(`${MARK}${key}`, { key });
    }
  }
  const compiled = build(db, markers as unknown as P).compile();
  if (compiled.sql.includes(MARK)) throw new Error('compileOnce: a parameter ended up in the SQL text');
  const slots = compiled.parameters.map((parameter): Slot => {
    if (typeof parameter === 'string' && parameter.includes(MARK)) {
      const slot = expected.get(parameter);
      if (!slot) throw new Error('compileOnce: a parameter was used inside another value');
      return slot;
    }
    return { constant: parameter };
  });
  if (!preparedNames.has(compiled.sql) && preparedNames.size < MAX_PREPARED) preparedNames.set(compiled.sql, `twinsync_${preparedNames.size + 1}`);
  return { sql: compiled.sql, slots };
}
