// Looking at a test server's database directly, on either store: SQL with `?`
// placeholders; counts come back as numbers on both.
import Database from 'better-sqlite3';
import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

export async function queryDatabase<R = Record<string, unknown>>(
  databaseUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(databaseUrl.replace(/^file:/, ''), { readonly: true });
    try {
      return db.prepare(sql).all(...params) as R[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let n = 0;
    const result = await client.query({
      text: sql.replace(/\?/g, () => `$${++n}`),
      values: params,
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          oid === INT8 || oid === NUMERIC
            ? (v: string) => Number(v)
            : pg.types.getTypeParser(
                oid,
                format as 'text',
              )) as pg.CustomTypesConfig['getTypeParser'],
      },
    });
    return result.rows as R[];
  } finally {
    await client.end();
  }
}
