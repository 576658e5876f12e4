import { describe, expect, it } from 'vitest';
import { dependencyOrder, type TableInfo } from './tables.ts';

const table = (
  name: string,
  keys: Array<{ column: string; table: string; nullable?: boolean }> = [],
  primaryKey = ['id'],
): TableInfo => ({
  name,
  columns: [],
  primaryKey,
  deferred: keys.filter((k) => k.table === name).map((k) => k.column),
  foreignKeys: keys.map((k) => ({ nullable: true, ...k })),
});

describe('dependencyOrder', () => {
  it('writes each table after those it refers to, by name among equals', () => {
    const order = dependencyOrder([
      table('articles', [{ column: 'section_id', table: 'sections', nullable: false }]),
      table('sections', [{ column: 'parent_id', table: 'sections' }]),
      table('authors'),
    ]);
    expect(order.map((t) => t.name)).toEqual(['authors', 'sections', 'articles']);
    expect(order.find((t) => t.name === 'sections')?.deferred).toEqual(['parent_id']);
  });

  it('breaks a circle at a nullable column of a table on it, not at one waiting for it', () => {
    const order = dependencyOrder([
      // Waits for the circle, and its key column is "nullable" to SQLite: never the breaker.
      table('article_search', [{ column: 'article_id', table: 'authors' }], ['article_id']),
      table('authors', [{ column: 'photo_id', table: 'photos' }]),
      table('photos', [{ column: 'uploaded_by', table: 'users' }]),
      table('users', [{ column: 'author_id', table: 'authors' }]),
    ]);
    expect(order.map((t) => t.name)).toEqual(['authors', 'article_search', 'users', 'photos']);
    expect(order[0]?.deferred).toEqual(['photo_id']);
    expect(order.slice(1).every((t) => t.deferred.length === 0)).toBe(true);
  });

  it('names the tables of a circle no empty column can break', () => {
    expect(() =>
      dependencyOrder([
        table('a', [{ column: 'b_id', table: 'b', nullable: false }]),
        table('b', [{ column: 'a_id', table: 'a', nullable: false }]),
      ]),
    ).toThrow(/cycle among a, b/);
  });
});
