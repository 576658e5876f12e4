import { toKstIso } from '../../shared/kst.ts';
import type { FeedChannel, FeedItem } from './model.ts';
import { contentWithNotices, summaryWithNotices } from './notices.ts';
import { element, XML_DECLARATION, xmlText } from './xml.ts';

/**
 * Atom (RFC 4287): the same channel as the RSS feed. Entries carry both times (published,
 * and updated for the last change readers can see), every byline as an author with its
 * 기자 페이지, and the featured photo as an enclosure link.
 */

function entry(i: FeedItem): string {
  const link = xmlText(i.link);
  return [
    '<entry>',
    `<id>${link}</id>`,
    `<title type="text">${xmlText(i.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${link}"/>`,
    element('published', toKstIso(i.publishedAt)),
    element('updated', toKstIso(Math.max(i.updatedAt, i.publishedAt))),
    ...i.authors.map((a) => `<author>${element('name', a.label)}${element('uri', a.url)}</author>`),
    i.category === undefined ? '' : `<category term="${xmlText(i.category)}"/>`,
    `<summary type="text">${xmlText(summaryWithNotices(i))}</summary>`,
    i.contentHtml === undefined
      ? ''
      : `<content type="html">${xmlText(contentWithNotices(i, i.contentHtml))}</content>`,
    i.photo == null
      ? ''
      : `<link rel="enclosure" type="${i.photo.type}" href="${xmlText(i.photo.url)}"/>`,
    '</entry>',
  ].join('');
}

export function renderAtom(channel: FeedChannel): string {
  return [
    XML_DECLARATION,
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ko">',
    `<id>${xmlText(channel.self)}</id>`,
    `<title type="text">${xmlText(channel.title)}</title>`,
    `<subtitle type="text">${xmlText(channel.description)}</subtitle>`,
    `<link rel="alternate" type="text/html" href="${xmlText(channel.link)}"/>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(channel.self)}"/>`,
    element('updated', toKstIso(channel.updatedAt)),
    // Atom wants an author on every entry; the paper stands in for an entry without one.
    `<author>${element('name', channel.publisher)}</author>`,
    `<rights>Copyright © ${xmlText(channel.publisher)}</rights>`,
    '<generator>Tamna</generator>',
    channel.logo === undefined ? '' : element('logo', channel.logo),
    ...channel.items.map(entry),
    '</feed>',
    '',
  ].join('\n');
}
