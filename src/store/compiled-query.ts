import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;
type Value = string | number | null;
export type QueryParams = Record<string, Value | readonly Value[]>;

/** Most shapes a query keeps compiled (see shapeOf), least recently used out. */
const SHAPES_PER_DIALECT = 64;

/** Distinguishes markers from any value a caller could pass. */
const MARK = '\u0000twinsync-parameter:';

/** Most SQL texts given a name for PostgreSQL to keep prepared, per connection. */
const MAX_PREPARED = 256;
const preparedNames = new Map<string, string>();

/** Set when the first compiled query runs: from then on, compileOnce refuses to make another. */
let running = false;

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
 * compiled once per shape (per dialect, per length of each list parameter, per parameter null or
 * not) with a marker in place of every parameter; after that, a call only puts its values where the
 * markers were and runs the SQL it already has. The same SQL text each time also makes the SQLite
 * statement cache cheaper, and lets PostgreSQL keep the statement prepared (preparedName).
 *
 * The rule: a compiled query is made once, at module level, from its parameters alone.
 * - `build` takes every value of the query from `params`, each as a value of its own (not inside a
 *   larger value, not in the SQL text). A value from anywhere else (a variable around `build`, a
 *   number written in it) would be compiled in at first use and sent unchanged forever, whatever
 *   that variable holds later: such a query is refused at first use. A true constant goes into the
 *   SQL text, with `sql.lit(0)`, where a reader sees that it is fixed.
 * - What `build` makes depends on the shape of `params` only, never on their values: at the first
 *   use of each shape it is built again with the call's own values, and refused unless that gives
 *   the same SQL with those values where the markers were. (A build that branches on a value in
 *   some other way than null or not is refused only if the first call of the shape takes the other
 *   branch than the markers do: do not branch on values.)
 * - `compileOnce` is called while modules load: once any compiled query has run, it throws. Made
 *   inside a function, a compiled query would be compiled again on every call (its cache with it),
 *   and it would see that function's variables, which are exactly the values it must not keep.
 * Each refusal is an Error that names the rule broken. The store's Kysely has no plugins; with
 * plugins, the query is built as usual every time.
 */
export function compileOnce<P extends QueryParams, R>(build: (db: Db, params: P) => Compilable<R>): (db: Db, params: P) => Promise<R[]> {
  if (running) {
    throw new Error('compileOnce: called after compiled queries started running; make each compiled query once, at module level, from its parameters alone');
  }
  // Per dialect adapter (SQLite and PostgreSQL compile differently); shared by transactions.
  const byAdapter = new WeakMap<object, Map<string, Template>>();
  return async (db, params) => {
    running = true;
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
    return (await db.executeQuery<R>(CompiledQuery.raw(template.sql, valuesOf(template, params)))).rows;
  };
}

/** Where a marker stood: a parameter, or one element of a list parameter. */
interface Slot {
  key: string;
  index?: number;
}

interface Template {
  sql: string;
  slots: Slot[];
}

/**
 * What a template is kept for: the length of each list parameter, and which parameters are null (so
 * that a build writing `is null` for a null value is checked, and refused, the first time one comes).
 */
function shapeOf(params: QueryParams): string {
  let shape = '';
  for (const key in params) {
    const value = params[key];
    if (Array.isArray(value)) shape += `${key}:${value.length};`;
    else if (value === null) shape += `${key}:null;`;
  }
  return shape;
}

function valuesOf(template: Template, params: QueryParams): Value[] {
  return template.slots.map(({ key, index }) => {
    const value = params[key];
    return index === undefined ? (value as Value) : ((value as readonly Value[])[index] as Value);
  });
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
    const slot = typeof parameter === 'string' ? expected.get(parameter) : undefined;
    if (slot) return slot;
    if (typeof parameter === 'string' && parameter.includes(MARK)) throw new Error('compileOnce: a parameter was used inside another value');
    throw new Error(
      `compileOnce: the query holds a value that is not one of its parameters (${describe(parameter)}); it would be sent unchanged ` +
        'on every call: pass it in params, or write a true constant into the SQL with sql.lit()',
    );
  });
  const template = { sql: compiled.sql, slots };
  // Built again with the call's own values, it must come out the same, those values in the markers' places.
  const again = build(db, params).compile();
  const values = valuesOf(template, params);
  if (again.sql !== template.sql || again.parameters.length !== values.length || again.parameters.some((v, i) => v !== values[i])) {
    throw new Error('compileOnce: the query comes out differently for other parameter values; it may depend on the lengths of list parameters only');
  }
  if (!preparedNames.has(compiled.sql) && preparedNames.size < MAX_PREPARED) preparedNames.set(compiled.sql, `twinsync_${preparedNames.size + 1}`);
  return template;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
