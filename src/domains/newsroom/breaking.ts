/** How long 속보 stays on when the editor sets no end. */
export const DEFAULT_BREAKING_MS = 6 * 60 * 60 * 1000;
/** The longest 속보 may run: past two days it is no longer breaking news. */
export const MAX_BREAKING_MS = 48 * 60 * 60 * 1000;
