import { AppError } from '../../shared/errors.ts';
import type { Accounts } from '../../domains/accounts/index.ts';
import { renditionKey, type PhotoLibrary, type StoredPhoto } from '../../domains/media/index.ts';
import type { AdminAccounts, AdminPhotos, LibraryPhoto } from './ports.ts';

/** The accounts domain in the admin routes' terms. */
export function adminAccounts(accounts: Accounts): AdminAccounts {
  return {
    login: (input) => accounts.login(input),
    authenticate: (token) => accounts.authenticate(token),
    async verifySecondFactor(token, code) {
      await accounts.verifySecondFactor(token, code);
    },
    logout: (token) => accounts.logout(token),
    async logoutEverywhere(userId) {
      await accounts.logoutEverywhere(userId);
    },
    async sessions(userId, currentToken) {
      return (await accounts.listSessions(userId, currentToken)).map((s) => ({
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        userAgent: s.userAgent,
        current: s.current,
      }));
    },
    async changePassword(userId, current, next, keepToken) {
      await accounts.changePassword(userId, current, next, keepToken);
    },
    beginTotpSetup: (userId) => accounts.beginTotpSetup(userId),
    async confirmTotp(userId, code, currentToken) {
      await accounts.confirmTotp(userId, code, currentToken);
    },
    async disableTotp(userId, code) {
      await accounts.disableTotp(userId, code);
    },
    listUsers: () => accounts.listUsers(),
    async invite(input) {
      const { user, setupToken } = await accounts.invite(input);
      return { userId: user.id, setupToken };
    },
    async redeemSetupToken(token, password) {
      const user = await accounts.redeemSetupToken(token, password);
      return { email: user.email };
    },
    peekSetupToken: (token) => accounts.peekSetupToken(token),
    async resetLink(userId) {
      const user = (await accounts.listUsers()).find((u) => u.id === userId);
      if (user === undefined || user.disabled)
        throw new AppError('NOT_FOUND', '사용 중인 직원 계정이 아닙니다.');
      const { token } = await accounts.createSetupToken(userId, 'reset');
      return { setupToken: token, email: user.email, name: user.name };
    },
    async setRole(userId, role) {
      await accounts.setRole(userId, role);
    },
    async disableUser(userId) {
      await accounts.disableUser(userId);
    },
  };
}

/**
 * A photo for the newsroom, its files at `sitePath` addresses: what the editor inserts into
 * bodies stays valid whatever CDN serves readers (pages rewrite it, content/media-urls.ts).
 */
const libraryPhoto = (p: StoredPhoto, sitePath: (key: string) => string): LibraryPhoto => ({
  id: p.id,
  src: sitePath(p.storageKey),
  srcset: p.sources
    .map((s) => `${sitePath(renditionKey(p.storageKey, s.width))} ${s.width}w`)
    .join(', '),
  width: p.width,
  height: p.height,
  caption: p.caption,
  credit: p.credit,
  alt: p.alt,
  uploadedBy: p.uploadedBy,
  createdAt: p.createdAt,
  focalX: p.focalX,
  focalY: p.focalY,
});

/** The media library in the admin routes' terms. */
export function adminPhotos(library: PhotoLibrary, sitePath: (key: string) => string): AdminPhotos {
  const toLibrary = (p: StoredPhoto) => libraryPhoto(p, sitePath);
  return {
    async ingest(bytes, meta) {
      return toLibrary(await library.ingestPhoto(bytes, meta));
    },
    async search(query) {
      const page = await library.searchPhotos(query);
      return { items: page.items.map(toLibrary), nextBefore: page.nextBefore };
    },
    async get(id) {
      const photo = await library.getPhoto(id);
      return photo === null ? null : toLibrary(photo);
    },
    async updateText(id, text) {
      await library.updatePhotoText(id, text);
    },
    async setFocus(id, focus) {
      await library.setPhotoFocus(id, focus);
    },
  };
}
