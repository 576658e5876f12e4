import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';

export interface SentStatement {
  text: string;
  values: unknown[];
}

/** Every statement sent to PostgreSQL while `work` runs, with its parameters. */
export async function statementsSent<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: SentStatement[] }> {
  const statements: SentStatement[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (typeof args[0] === 'string')
      statements.push({ text: args[0], values: (args[1] as unknown[] | undefined) ?? [] });
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as unknown as typeof query;
  try {
    return { result: await work(), statements };
  } finally {
    pg.Client.prototype.query = query;
  }
}

interface PlanNode {
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** The index scans of the plan PostgreSQL chooses for a statement, with their conditions. */
export async function indexScans<DB>(
  db: Kysely<DB>,
  statement: SentStatement,
): Promise<{ index: string; condition: string }[]> {
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
    CompiledQuery.raw(`explain (format json) ${statement.text}`, statement.values),
  );
  const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
  if (plan === undefined) throw new Error('no plan');
  return nodes(plan).flatMap((n) =>
    n['Index Name'] === undefined
      ? []
      : [{ index: n['Index Name'], condition: n['Index Cond'] ?? '' }],
  );
}
