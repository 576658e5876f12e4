import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { COLUMN_KINDS } from './tables.ts';

/**
 * A Tamna backup is one gzip-compressed tar archive:
 *
 *   tamna-backup.json        the header: format, app and schema version, database, time
 *   tables/<table>.ndjson    each table's rows, one JSON array per line, in column order
 *   media/<path>             every media file, as stored under TAMNA_DATA_DIR/media
 *   manifest.json            the header again, each table's columns, rows and checksum, the
 *                            id counters, and every file above with its size and SHA-256
 *
 * The header comes first so a restore refuses a backup it cannot read at once; the
 * manifest comes last because it holds checksums of everything written before it.
 */
export const FORMAT = 'tamna-backup';
export const FORMAT_VERSION = 1;
export const HEADER_FILE = 'tamna-backup.json';
export const MANIFEST_FILE = 'manifest.json';
export const tableFile = (table: string): string => `tables/${table}.ndjson`;
export const MEDIA_PREFIX = 'media/';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().min(0);

export const headerSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.number().int().min(1),
  appVersion: z.string().max(50),
  /** The newest migration applied to the database backed up. */
  schemaVersion: z.string().max(100),
  database: z.enum(['sqlite', 'postgres']),
  createdAt: z.string().max(40),
});
export type BackupHeader = z.infer<typeof headerSchema>;

export const manifestSchema = headerSchema.extend({
  tables: z.array(
    z.object({
      name: identifier,
      columns: z.array(z.object({ name: identifier, kind: z.enum(COLUMN_KINDS) })).min(1),
      primaryKey: z.array(identifier).min(1),
      rows: count,
      /** TableChecksum of the rows: the restored database must give the same. */
      checksum: sha256,
      /** The last id the table's counter handed out, when it has one. */
      sequence: count.optional(),
    }),
  ),
  media: z.object({ files: count, bytes: count }),
  files: z.array(z.object({ path: z.string().min(1).max(4096), size: count, sha256 })),
});
export type Manifest = z.infer<typeof manifestSchema>;

let appVersion: string | null = null;

/** The version in package.json, recorded in every backup. */
export function tamnaVersion(): string {
  appVersion ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
  return appVersion;
}

/**
 * A media path from an archive, checked before anything is written under it: relative,
 * no `.` or `..` segments, no backslashes or control characters.
 */
export function safeMediaPath(relative: string): boolean {
  if (relative === '' || relative.length > 1024 || relative.startsWith('/')) return false;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\x00-\x1f\x7f]/.test(relative)) return false;
  return relative.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
