import { isbot } from 'isbot';

/** Longer user agents are cut: no browser sends one this long, and the bot test is a regex. */
const MAX_USER_AGENT = 512;
/** Distinct user agents whose bot verdict is remembered (a busy site sees a few hundred). */
const VERDICT_CACHE = 2_000;

/**
 * A test for crawlers, by isbot's list. A request without a user agent counts as one:
 * every browser sends it, and sendBeacon cannot leave it out. Verdicts are kept because
 * the test costs a few microseconds and the same strings come again and again; the cache
 * is dropped whole when full, so a flood of made-up agents costs only the uncached test.
 */
export function crawlerTest(): (userAgent: string | undefined) => boolean {
  const verdicts = new Map<string, boolean>();
  return (userAgent) => {
    if (userAgent === undefined || userAgent.trim() === '') return true;
    const agent =
      userAgent.length > MAX_USER_AGENT ? userAgent.slice(0, MAX_USER_AGENT) : userAgent;
    const known = verdicts.get(agent);
    if (known !== undefined) return known;
    const verdict = isbot(agent);
    if (verdicts.size >= VERDICT_CACHE) verdicts.clear();
    verdicts.set(agent, verdict);
    return verdict;
  };
}

/**
 * Whether the browser is only speculating (link prefetch, prerender): `Sec-Purpose`,
 * `Purpose` and `X-Purpose` say `prefetch` or `prerender`, Firefox sends `X-Moz: prefetch`.
 * The caller passes those headers' values joined.
 */
export function isSpeculative(purpose: string | undefined): boolean {
  return purpose !== undefined && /prefetch|prerender/i.test(purpose);
}
