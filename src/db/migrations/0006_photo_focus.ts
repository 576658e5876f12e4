import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * A photo's focal point (0..1 across and down; null is the centre): the part that every
 * card crop (16:9, 4:3, 1:1) keeps in view, set once on the photo and used by every
 * article that shows it.
 */
export const photoFocus: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('photos').addColumn('focal_x', 'real').execute();
    await db.schema.alterTable('photos').addColumn('focal_y', 'real').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('photos').dropColumn('focal_y').execute();
    await db.schema.alterTable('photos').dropColumn('focal_x').execute();
  },
};
