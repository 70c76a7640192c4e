/**
 * For every table created by `sql` that has a `tenant_id` column, returns the
 * statement that enables and forces its tenant-isolation policy (see the
 * function app_enable_tenant_rls in the first migration).
 */
export function tenantRlsStatements(sql: string): string[] {
  const statements: string[] = [];
  for (const match of sql.matchAll(/CREATE TABLE "([^"]+)" \(([\s\S]*?)\n\);/g)) {
    const [, table, body] = match;
    if (table && body && /^\s*"tenant_id"\s/m.test(body)) {
      statements.push(`SELECT app_enable_tenant_rls('"${table}"');`);
    }
  }
  return statements;
}
