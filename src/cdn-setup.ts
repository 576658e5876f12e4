import type { Kysely } from 'kysely';
import type { Config } from './config/index.ts';
import type { Database } from './db/index.ts';
import { createAdapter, createCdnPurges, type CdnPurges } from './domains/cdn/index.ts';
import type { ContentService } from './domains/content/index.ts';
import { LAYOUT_TAGS, tag } from './shared/cache-tags.ts';
import type { Clock } from './shared/clock.ts';
import { articlePath, seriesPath, sectionPath } from './views/urls.ts';

/** How often every server reads the change feed (the composition root's timer). */
export const CHANGE_FEED_POLL_MS = 2_000;

/**
 * A purge waits this long after its change: one poll of the change feed and a margin, so
 * every server has dropped the change from its own page cache before the CDN asks again.
 */
export const CDN_SETTLE_MS = CHANGE_FEED_POLL_MS + 1_000;

/** One purge request's deadline. */
const CDN_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The CDN purge queue, wired from the settings: the provider's adapter, and what the queue
 * asks of content (which articles readers may open; the addresses of the pages a tag names,
 * for nginx, which purges by address only).
 */
export function createCdn(deps: {
  config: Config;
  db: Kysely<Database>;
  clock: Clock;
  content: ContentService;
  instanceId: string;
}): CdnPurges {
  const { config, content } = deps;
  const provider = config.cdn.provider;
  const site = config.siteUrl;
  return createCdnPurges({
    db: deps.db,
    clock: deps.clock,
    adapter:
      provider === null
        ? null
        : createAdapter(provider, {
            timeoutMs: CDN_REQUEST_TIMEOUT_MS,
            deviceHeader: config.cdn.deviceHeader,
            siteHost: new URL(site).host,
          }),
    tagPrefix: config.cdn.tagPrefix,
    siteUrl: site,
    settleMs: CDN_SETTLE_MS,
    instanceId: deps.instanceId,
    requestTimeoutMs: CDN_REQUEST_TIMEOUT_MS,
    readableArticles: async (ids) => new Set((await content.readableTitles(ids)).map((a) => a.id)),
    async pagesOf(tags) {
      // The pages a tag stands for that have one address: lists keyed by something else
      // (a byline's or a tag's pages, later pages of a section) wait out their s-maxage.
      const urls = new Set<string>();
      const wanted = new Set(tags);
      let sectionSlugs: Map<number, string> | null = null;
      const slugs = async () =>
        (sectionSlugs ??= new Map(
          (await content.allSectionsForDesk()).map((s) => [s.id, s.slug] as const),
        ));
      for (const t of tags) {
        const [kind, id] = t.split(':');
        if (kind === 'article') urls.add(site + articlePath(Number(id)));
        else if (kind === 'series') urls.add(site + seriesPath(Number(id)));
        else if (kind === 'section') {
          const slug = (await slugs()).get(Number(id));
          if (slug !== undefined) urls.add(site + sectionPath(slug));
        }
      }
      if (wanted.has(tag.front) || wanted.has(tag.photoStories)) urls.add(`${site}/`);
      if (LAYOUT_TAGS.some((t) => wanted.has(t))) {
        urls.add(`${site}/`);
        for (const slug of (await slugs()).values()) urls.add(site + sectionPath(slug));
      }
      return [...urls];
    },
  });
}
