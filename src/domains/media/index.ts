export { createLocalMediaStorage, assertSafeKey, type MediaStorage } from './storage.ts';
export { renditionKey, parseVariants } from './renditions.ts';
