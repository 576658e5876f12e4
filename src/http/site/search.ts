import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContentService } from '../../domains/content/index.ts';
import type { Search } from '../../domains/search/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { parseKstDateTime } from '../../shared/kst.ts';
import type { ChromeView } from '../../views/model.ts';
import {
  renderSearchPage,
  SEARCH_PATH,
  type SearchFormView,
} from '../../views/pages/SearchPage.tsx';
import { LAYOUT_TAGS, tag } from '../../shared/cache-tags.ts';
import { buildUncachedPage, sendPage, type EdgePolicy } from '../cache/serve.ts';
import { siteSecurityHeaders } from './headers.ts';

export interface SearchRouteDeps {
  search: Search;
  content: ContentService;
  clock: Clock;
  chrome(request: FastifyRequest): Promise<ChromeView>;
  edge?: EdgePolicy;
}

type Query = Record<string, string | string[] | undefined>;

const PER_PAGE = 10;
/** 10 results a page: 200 pages hold every candidate a search ranks. */
const MAX_PAGE = 200;
const DAY_MS = 86_400_000;
/** Search pages are many and cheap: a CDN may keep one a minute, this server keeps none. */
const SHARED_TTL_MS = 60_000;

/** One value of a query parameter (the first when repeated), trimmed and bounded. */
function one(query: Query, name: string, max = 200): string {
  const raw = query[name];
  const value = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '');
  return value.slice(0, max).trim();
}

function kstDay(text: string): number | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseKstDateTime(`${text} 00:00`) : null;
}

/**
 * Reads the search form from the query string. Nothing a reader types is an error: a bad
 * filter is dropped and named in a note, the rest of the search still runs.
 */
export function readSearchForm(query: Query): {
  form: SearchFormView;
  page: number;
  notes: string[];
  from?: number;
  until?: number;
  reporterId?: number;
} {
  const notes: string[] = [];
  const q = one(query, 'q', 1000).replace(/\s+/g, ' ');
  const form: SearchFormView = {
    q,
    section: one(query, 'section', 80),
    from: one(query, 'from', 10),
    to: one(query, 'to', 10),
    reporter: one(query, 'reporter', 12),
    sort: one(query, 'sort', 12) === 'newest' ? 'newest' : 'relevance',
  };
  if (form.section !== '' && !/^[a-z0-9][a-z0-9-]{0,79}$/.test(form.section)) form.section = '';
  let reporterId: number | undefined;
  if (form.reporter !== '') {
    reporterId = /^\d{1,9}$/.test(form.reporter) ? Number(form.reporter) : undefined;
    if (reporterId === undefined || reporterId < 1) {
      notes.push('기자 조건이 올바르지 않아 빼고 찾았습니다.');
      form.reporter = '';
      reporterId = undefined;
    }
  }
  const from = form.from === '' ? undefined : kstDay(form.from);
  const to = form.to === '' ? undefined : kstDay(form.to);
  if (from === null) {
    notes.push('시작일은 2026-12-06 형식으로 입력하세요. 시작일 없이 찾았습니다.');
    form.from = '';
  }
  if (to === null) {
    notes.push('종료일은 2026-12-06 형식으로 입력하세요. 종료일 없이 찾았습니다.');
    form.to = '';
  }
  let fromMs = from ?? undefined;
  let untilMs = to == null ? undefined : to + DAY_MS;
  if (fromMs !== undefined && untilMs !== undefined && fromMs >= untilMs) {
    notes.push('시작일이 종료일보다 늦어 두 날짜를 바꿔 찾았습니다.');
    [fromMs, untilMs] = [untilMs - DAY_MS, fromMs + DAY_MS];
    [form.from, form.to] = [form.to, form.from];
  }
  const rawPage = one(query, 'page', 12);
  let page = 1;
  if (rawPage !== '') {
    page = /^\d{1,9}$/.test(rawPage) ? Math.max(1, Number(rawPage)) : 1;
    if (!/^\d{1,9}$/.test(rawPage))
      notes.push('페이지 번호가 올바르지 않아 첫 쪽을 보여 드립니다.');
    if (page > MAX_PAGE) {
      notes.push(`검색 결과는 ${MAX_PAGE}쪽까지 볼 수 있습니다.`);
      page = MAX_PAGE;
    }
  }
  return {
    form,
    page,
    notes,
    ...(fromMs !== undefined ? { from: fromMs } : {}),
    ...(untilMs !== undefined ? { until: untilMs } : {}),
    ...(reporterId !== undefined ? { reporterId } : {}),
  };
}

export function registerSearchPage(app: FastifyInstance, deps: SearchRouteDeps): void {
  const { search, content, clock } = deps;

  app.get(
    SEARCH_PATH,
    async (request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
      const read = readSearchForm(request.query);
      const { form } = read;
      const [view, sections, reporters] = await Promise.all([
        deps.chrome(request),
        content.allSectionsForDesk(),
        content.authors(),
      ]);
      const visible = sections.filter((s) => !s.hidden);
      let sectionIds: number[] | undefined;
      if (form.section !== '') {
        const root = visible.find((s) => s.slug === form.section);
        if (root === undefined) {
          read.notes.push('없는 섹션이어서 전체 섹션에서 찾았습니다.');
          form.section = '';
        } else {
          sectionIds = [root.id];
          for (let i = 0; i < sectionIds.length; i++)
            for (const s of visible) if (s.parentId === sectionIds[i]) sectionIds.push(s.id);
        }
      }
      const result = await search.search({
        q: form.q,
        sort: form.sort,
        page: read.page,
        perPage: PER_PAGE,
        ...(sectionIds !== undefined ? { sectionIds } : {}),
        ...(read.reporterId !== undefined ? { authorId: read.reporterId } : {}),
        ...(read.from !== undefined ? { from: read.from } : {}),
        ...(read.until !== undefined ? { until: read.until } : {}),
      });
      if (result.pageCount > 0 && read.page > result.pageCount)
        read.notes.push(`검색 결과는 ${result.pageCount}쪽까지 있습니다.`);
      const teasers = await content.readableTeasers(result.hits.map((h) => h.id));
      const byId = new Map(teasers.map((t) => [t.id, t]));
      const topLevel = visible.filter((s) => s.parentId === null);
      const html = renderSearchPage({
        chrome: view,
        form,
        sections: topLevel.flatMap((s) => [
          { slug: s.slug, name: s.name, depth: 0 },
          ...visible
            .filter((c) => c.parentId === s.id)
            .map((c) => ({ slug: c.slug, name: c.name, depth: 1 })),
        ]),
        reporters: reporters.map((r) => ({ id: r.id, name: r.name })),
        hits: result.hits.flatMap((h) => {
          const article = byId.get(h.id);
          return article === undefined ? [] : [{ article, snippet: h.snippet, bylines: h.bylines }];
        }),
        highlights: result.highlights,
        total: result.total,
        capped: result.capped,
        page: read.page,
        pageCount: result.pageCount,
        partialFrom: result.partialFrom,
        droppedWords: result.droppedWords,
        timedOut: result.timedOut,
        notes: read.notes,
      });
      const now = clock.now();
      const built = {
        ...buildUncachedPage(200, html, now),
        expiresAt: now + SHARED_TTL_MS,
        // A hit taken down is purged from a CDN's copies of the searches that listed it.
        tags: [...LAYOUT_TAGS, ...result.hits.map((h) => tag.article(h.id))],
      };
      // A search that was cut off may succeed a moment later: no shared cache may keep it.
      return sendPage(request, reply, built, {
        headers: siteSecurityHeaders,
        now,
        cacheable: !result.timedOut,
        ...(deps.edge === undefined ? {} : { edge: deps.edge }),
      });
    },
  );
}
