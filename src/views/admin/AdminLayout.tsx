import type { Child } from '../jsx/jsx-runtime.ts';
import { ROLE_LABELS, type AdminChrome } from './model.ts';

/** The newsroom's frame: a bar with the sections of the admin, then the page. */
export function AdminLayout({
  chrome,
  title,
  children,
  editor,
  script,
}: {
  chrome: AdminChrome;
  title: string;
  children?: Child;
  /** Loads the rich-text editor (131 KB gzipped, cached for a year under a hashed name). */
  editor?: boolean;
  /** Loads the admin script without the editor's stylesheet (the front desk's drag and drop). */
  script?: boolean;
}) {
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="csrf-token" content={chrome.csrfToken} />
        <title>{`${title} · ${chrome.siteName} 뉴스룸`}</title>
        <link rel="stylesheet" href={chrome.stylesheet} />
        {editor ? <link rel="stylesheet" href={chrome.editorStylesheet} /> : null}
        {editor || script ? <script defer src={chrome.script}></script> : null}
      </head>
      <body class="admin">
        <header class="admin-bar">
          <a class="admin-brand" href="/admin">
            {chrome.siteName} <span>뉴스룸</span>
          </a>
          <nav aria-label="뉴스룸 메뉴">
            <ul>
              {chrome.nav.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="admin-user">
            <a
              href="/admin/notifications"
              class="notice-badge"
              aria-label={`알림 ${chrome.unreadNotices ?? 0}건 읽지 않음`}
            >
              알림
              {(chrome.unreadNotices ?? 0) > 0 ? (
                <span class="count">{String(Math.min(chrome.unreadNotices ?? 0, 99))}</span>
              ) : null}
            </a>
            <a href="/admin/account">
              {chrome.user.name} <small>{ROLE_LABELS[chrome.user.role]}</small>
            </a>
            <form method="post" action="/admin/logout">
              <input type="hidden" name="_csrf" value={chrome.csrfToken} />
              <button type="submit" class="link-button">
                로그아웃
              </button>
            </form>
          </div>
        </header>
        <main class="admin-main" id="main">
          {chrome.flash ? (
            <p class={`flash flash-${chrome.flash.kind}`} role="status">
              {chrome.flash.text}
            </p>
          ) : null}
          {children}
        </main>
      </body>
    </html>
  );
}

/** A bare page (sign-in, second factor): no navigation, nothing to leak before sign-in. */
export function AdminBareLayout({
  siteName,
  stylesheet,
  title,
  children,
}: {
  siteName: string;
  stylesheet: string;
  title: string;
  children?: Child;
}) {
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} · ${siteName} 뉴스룸`}</title>
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body class="admin admin-bare">
        <main class="admin-card" id="main">
          <p class="admin-brand">
            {siteName} <span>뉴스룸</span>
          </p>
          {children}
        </main>
      </body>
    </html>
  );
}

/** The error a form or action ended with, announced to screen readers; nothing without one. */
export function ErrorFlash({ message }: { message: string | undefined }) {
  return message ? (
    <p class="flash flash-error" role="alert">
      {message}
    </p>
  ) : null;
}

/** A hidden CSRF field for every state-changing form. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function FieldError({ message, id }: { message: string | undefined; id: string }) {
  return message ? (
    <p class="field-error" id={id} role="alert">
      {message}
    </p>
  ) : null;
}
