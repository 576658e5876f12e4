import { raw, type Child } from '../jsx/jsx-runtime.ts';
import { HEAD_SCRIPT } from '../head-script.ts';
import { toKstIso } from '../../shared/kst.ts';
import { BannerSlot } from '../components/Banner.tsx';
import { Footer } from '../components/Footer.tsx';
import { JsonLd } from '../components/JsonLd.tsx';
import { Masthead } from '../components/Masthead.tsx';
import type { ChromeView, PageMeta } from '../model.ts';
import { absoluteUrl as absolute, shareImageOf } from '../share.ts';
import { siteAtomPath, siteFeedPath } from '../urls.ts';

export function SiteLayout({
  chrome,
  meta,
  isFront = false,
  children,
}: {
  chrome: ChromeView;
  meta: PageMeta;
  isFront?: boolean;
  children?: Child;
}) {
  const canonical = absolute(chrome.siteUrl, meta.path);
  const fullTitle = isFront ? meta.title : `${meta.title} - ${chrome.publisher.name}`;
  const share = shareImageOf(chrome, meta);
  const paper = chrome.publisher.name;
  return (
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={meta.description} />
        {meta.robots ? <meta name="robots" content={meta.robots} /> : null}
        <link rel="canonical" href={canonical} />
        {meta.feed ? (
          <link
            rel="alternate"
            type="application/rss+xml"
            title={meta.feed.title}
            href={absolute(chrome.siteUrl, meta.feed.path)}
          />
        ) : null}
        {meta.feed?.atomPath ? (
          <link
            rel="alternate"
            type="application/atom+xml"
            title={`${meta.feed.title} (Atom)`}
            href={absolute(chrome.siteUrl, meta.feed.atomPath)}
          />
        ) : null}
        <link
          rel="alternate"
          type="application/rss+xml"
          title={`${paper} 전체기사`}
          href={absolute(chrome.siteUrl, siteFeedPath)}
        />
        <link
          rel="alternate"
          type="application/atom+xml"
          title={`${paper} 전체기사 (Atom)`}
          href={absolute(chrome.siteUrl, siteAtomPath)}
        />
        <meta property="og:site_name" content={paper} />
        <meta property="og:locale" content="ko_KR" />
        <meta property="og:type" content={meta.type} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:url" content={canonical} />
        <meta property="og:image" content={share.url} />
        <meta property="og:image:type" content={share.type} />
        <meta property="og:image:width" content={String(share.width)} />
        <meta property="og:image:height" content={String(share.height)} />
        <meta property="og:image:alt" content={share.alt} />
        <meta name="twitter:card" content="summary_large_image" />
        <meta name="twitter:image:alt" content={share.alt} />
        {meta.publishedAt !== undefined ? (
          <meta property="article:published_time" content={toKstIso(meta.publishedAt)} />
        ) : null}
        {meta.updatedAt !== undefined ? (
          <meta property="article:modified_time" content={toKstIso(meta.updatedAt)} />
        ) : null}
        {meta.section ? <meta property="article:section" content={meta.section} /> : null}
        <meta name="theme-color" content="#0b4f8a" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#15191e" media="(prefers-color-scheme: dark)" />
        <meta name="color-scheme" content="light dark" />
        {/* Without the site script (the desk's preview) the page needs none of this. */}
        {chrome.script === null ? null : <script>{raw(HEAD_SCRIPT)}</script>}
        <link rel="icon" type="image/svg+xml" href={chrome.icon} />
        <link rel="stylesheet" href={chrome.stylesheet} />
        {meta.articleId !== undefined ? (
          <meta name="tamna:article-id" content={String(meta.articleId)} />
        ) : null}
        {chrome.script === null ? null : <script src={chrome.script} defer></script>}
        {(meta.structuredData ?? []).map((data) => (
          <JsonLd data={data} />
        ))}
      </head>
      <body>
        <Masthead chrome={chrome} isFront={isFront} />
        <main id="main" class="wrap">
          {children}
        </main>
        <Footer chrome={chrome} />
        <BannerSlot chrome={chrome} slot="mobile-sticky" />
      </body>
    </html>
  );
}
