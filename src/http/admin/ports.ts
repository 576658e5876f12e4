import type { StaffRole } from '../../domains/accounts/index.ts';

/**
 * What the admin routes need from the accounts and media domains, in the routes' own
 * terms; app.ts adapts the domains to these, so the routes can be read (and tested) on
 * their own.
 */
export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  authorId: number | null;
  disabled: boolean;
}

export interface StaffSession {
  csrfToken: string;
  secondFactorPending: boolean;
}

export interface AdminAccounts {
  /** Throws AppError UNAUTHORIZED (bad credentials) or TOO_MANY_REQUESTS (throttled). */
  login(input: {
    email: string;
    password: string;
    ip: string;
    userAgent: string;
  }): Promise<{ token: string; needsSecondFactor: boolean }>;
  authenticate(token: string): Promise<{ user: StaffUser; session: StaffSession } | null>;
  verifySecondFactor(token: string, code: string): Promise<void>;
  logout(token: string): Promise<void>;
  logoutEverywhere(userId: number): Promise<void>;
  sessions(
    userId: number,
    currentToken: string,
  ): Promise<{ createdAt: number; lastSeenAt: number; userAgent: string; current: boolean }[]>;
  changePassword(userId: number, current: string, next: string, keepToken: string): Promise<void>;
  beginTotpSetup(userId: number): Promise<{ secret: string; uri: string }>;
  /** `currentToken`: the session that turns two-factor on stays signed in. */
  confirmTotp(userId: number, code: string, currentToken: string): Promise<void>;
  disableTotp(userId: number, code: string): Promise<void>;
  listUsers(): Promise<StaffUser[]>;
  invite(input: { email: string; name: string; role: StaffRole }): Promise<{
    userId: number;
    setupToken: string;
  }>;
  /** Sets the password from a link; returns the account's e-mail, to sign in with. */
  redeemSetupToken(token: string, password: string): Promise<{ email: string }>;
  peekSetupToken(
    token: string,
  ): Promise<{ name: string; email: string; purpose: 'setup' | 'reset' } | null>;
  /** A password-reset link for a staff member (the old password keeps working until used). */
  resetLink(userId: number): Promise<{ setupToken: string; email: string; name: string }>;
  setRole(userId: number, role: StaffRole): Promise<void>;
  disableUser(userId: number): Promise<void>;
}

export interface LibraryPhoto {
  id: number;
  src: string;
  srcset: string;
  width: number;
  height: number;
  caption: string;
  credit: string;
  alt: string;
  /** The staff member who uploaded it; null for imported photos. */
  uploadedBy: number | null;
  /** Upload time (ms). */
  createdAt: number;
  /** Focal point, 0..1 from the left and from the top. */
  focalX: number;
  focalY: number;
}

export interface AdminPhotos {
  /** Throws AppError INVALID_INPUT with a Korean message for unusable files. */
  ingest(
    bytes: Buffer,
    meta: {
      caption: string;
      credit: string;
      alt: string;
      uploadedBy: number;
      originalName: string;
    },
  ): Promise<LibraryPhoto>;
  search(query: {
    query?: string;
    before?: number;
    uploadedBy?: number;
    from?: number;
    until?: number;
    limit: number;
  }): Promise<{
    items: LibraryPhoto[];
    nextBefore: number | null;
  }>;
  get(id: number): Promise<LibraryPhoto | null>;
  updateText(id: number, text: { caption: string; credit: string; alt: string }): Promise<void>;
  /** Throws AppError INVALID_INPUT when the point is outside the photo. */
  setFocus(id: number, focus: { x: number; y: number }): Promise<void>;
}
