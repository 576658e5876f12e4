export { createBackup, fileSha256, listMedia, type BackupResult } from './backup.ts';
export { copyDatabase, type CopyOptions } from './copy.ts';
export { restoreBackup, type RestoreOptions, type RestoreResult } from './restore.ts';
