import { highlight } from '../../shared/highlight.ts';
import { formatKstDateTime } from '../../shared/kst.ts';
import { renderDocument } from '../jsx/jsx-runtime.ts';
import { Photo } from '../components/Photo.tsx';
import { TimeTag } from '../components/Teasers.tsx';
import { AdFlag } from '../components/Advertorial.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView, TeaserView } from '../model.ts';
import { articlePath } from '../urls.ts';
import { pageWindow } from '../components/Pager.tsx';

/** The search form as the reader filled it in (strings as typed, for re-display). */
export interface SearchFormView {
  q: string;
  section: string;
  from: string;
  to: string;
  reporter: string;
  sort: 'relevance' | 'newest';
}

export interface SearchHitView {
  article: TeaserView;
  snippet: string;
  bylines: { name: string; title: string }[];
}

export interface SearchPageProps {
  chrome: ChromeView;
  form: SearchFormView;
  sections: { slug: string; name: string; depth: number }[];
  reporters: { id: number; name: string }[];
  hits: SearchHitView[];
  highlights: string[];
  total: number;
  capped: boolean;
  page: number;
  pageCount: number;
  /** Where hits with only some of the words begin on this page, or null. */
  partialFrom: number | null;
  droppedWords: number;
  timedOut: boolean;
  /** Problems with the filters, each already ignored (shown, never an error page). */
  notes: string[];
}

export const SEARCH_PATH = '/search';

/** The URL of the same search on another page or with another sort. */
export function searchUrl(
  form: SearchFormView,
  changes: Partial<SearchFormView & { page: number }> = {},
) {
  const next = { ...form, ...changes };
  const params = new URLSearchParams();
  params.set('q', next.q);
  if (next.section !== '') params.set('section', next.section);
  if (next.from !== '') params.set('from', next.from);
  if (next.to !== '') params.set('to', next.to);
  if (next.reporter !== '') params.set('reporter', next.reporter);
  if (next.sort !== 'relevance') params.set('sort', next.sort);
  if (changes.page !== undefined && changes.page > 1) params.set('page', String(changes.page));
  return `${SEARCH_PATH}?${params.toString()}`;
}

function Marked({ text, words }: { text: string; words: string[] }) {
  return (
    <>
      {highlight(text, words).map((piece) => (piece.mark ? <mark>{piece.text}</mark> : piece.text))}
    </>
  );
}

function Filters({ props }: { props: SearchPageProps }) {
  const { form } = props;
  return (
    <form
      class="search-form"
      action={SEARCH_PATH}
      method="get"
      role="search"
      aria-label="상세 검색"
    >
      <div class="search-main">
        <label class="visually-hidden" for="search-q">
          검색어
        </label>
        <input
          id="search-q"
          type="search"
          name="q"
          value={form.q}
          maxlength={200}
          placeholder="검색어를 입력하세요"
          enterkeyhint="search"
        />
        <button type="submit">검색</button>
      </div>
      <details
        class="search-filters"
        open={
          form.section !== '' || form.from !== '' || form.to !== '' || form.reporter !== ''
            ? true
            : undefined
        }
      >
        <summary>상세 검색</summary>
        <div class="search-filter-grid">
          <label>
            섹션
            <select name="section">
              <option value="">전체</option>
              {props.sections.map((s) => (
                <option value={s.slug} selected={s.slug === form.section ? true : undefined}>
                  {s.depth > 0 ? `· ${s.name}` : s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            기자
            <select name="reporter">
              <option value="">전체</option>
              {props.reporters.map((r) => (
                <option
                  value={String(r.id)}
                  selected={String(r.id) === form.reporter ? true : undefined}
                >
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            시작일
            <input type="date" name="from" value={form.from} />
          </label>
          <label>
            종료일
            <input type="date" name="to" value={form.to} />
          </label>
          <label>
            정렬
            <select name="sort">
              <option value="relevance" selected={form.sort === 'relevance' ? true : undefined}>
                정확도순
              </option>
              <option value="newest" selected={form.sort === 'newest' ? true : undefined}>
                최신순
              </option>
            </select>
          </label>
        </div>
      </details>
    </form>
  );
}

function Pager({ props }: { props: SearchPageProps }) {
  if (props.pageCount <= 1) return null;
  const pages = pageWindow(props.page, props.pageCount);
  const first = pages[0] ?? 1;
  const last = pages[pages.length - 1] ?? props.pageCount;
  return (
    <nav class="pager" aria-label="검색 결과 페이지">
      {first > 1 ? (
        <a href={searchUrl(props.form, { page: first - 1 })} rel="prev">
          이전
        </a>
      ) : null}
      {pages.map((p) =>
        p === props.page ? (
          <strong aria-current="page">{p}</strong>
        ) : (
          <a href={searchUrl(props.form, { page: p })}>{p}</a>
        ),
      )}
      {last < props.pageCount ? (
        <a href={searchUrl(props.form, { page: last + 1 })} rel="next">
          다음
        </a>
      ) : null}
    </nav>
  );
}

function Summary({ props }: { props: SearchPageProps }) {
  const { form } = props;
  if (props.timedOut)
    return (
      <p class="search-message" role="status">
        검색이 너무 오래 걸려 멈췄습니다. 낱말을 줄이거나 기간·섹션을 좁혀 다시 찾아 보세요.
      </p>
    );
  if (form.q.trim() === '')
    return <p class="search-message">찾을 낱말을 입력하세요. 예: 해녀, 한라산 탐방로, 감귤 가격</p>;
  if (props.total === 0)
    return (
      <div class="search-message" role="status">
        <p>
          ‘<strong>{form.q}</strong>’에 대한 검색 결과가 없습니다.
        </p>
        <ul>
          <li>낱말의 맞춤법을 확인해 보세요.</li>
          <li>더 짧거나 일반적인 낱말로 찾아 보세요.</li>
          <li>기간, 섹션, 기자 조건을 풀어 보세요.</li>
        </ul>
      </div>
    );
  const count = `${props.total.toLocaleString('ko-KR')}${props.capped ? '건 이상' : '건'}`;
  return (
    <div class="search-summary" role="status">
      <p>
        ‘<strong>{form.q}</strong>’ 검색 결과 {count}
      </p>
      <p class="search-sort">
        {form.sort === 'relevance' ? (
          <>
            <strong>정확도순</strong> · <a href={searchUrl(form, { sort: 'newest' })}>최신순</a>
          </>
        ) : (
          <>
            <a href={searchUrl(form, { sort: 'relevance' })}>정확도순</a> · <strong>최신순</strong>
          </>
        )}
      </p>
    </div>
  );
}

export function renderSearchPage(props: SearchPageProps): string {
  const { form } = props;
  const title = form.q.trim() === '' ? '기사 검색' : `‘${form.q}’ 검색 결과`;
  const notes = [
    ...props.notes,
    ...(props.partialFrom === 0 && props.page === 1
      ? ['모든 낱말이 들어간 기사가 없어, 일부 낱말이 들어간 기사를 보여 드립니다.']
      : []),
    ...(props.droppedWords > 0
      ? [`검색어가 길어 앞의 낱말로만 찾았습니다 (${props.droppedWords}개 낱말 제외).`]
      : []),
  ];
  return renderDocument(
    <SiteLayout
      chrome={props.chrome}
      meta={{
        title: props.page > 1 ? `${title} (${props.page}쪽)` : title,
        description: `${props.chrome.publisher.name} 기사 검색`,
        path: form.q.trim() === '' ? SEARCH_PATH : searchUrl(form, { page: props.page }),
        type: 'website',
      }}
    >
      <div class="search-page">
        <header class="section-head">
          <h1>기사 검색</h1>
        </header>
        <Filters props={props} />
        {notes.length > 0 ? (
          <ul class="search-notes">
            {notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        ) : null}
        <Summary props={props} />
        {props.hits.length > 0 ? (
          <ol class="search-results" start={(props.page - 1) * 10 + 1}>
            {props.hits.map(({ article, snippet, bylines }, i) => (
              <li
                class={
                  i === props.partialFrom && i > 0
                    ? 'search-hit search-partial-start'
                    : 'search-hit'
                }
              >
                {article.photo ? (
                  <a class="thumb" href={articlePath(article.id)} tabindex="-1" aria-hidden="true">
                    <Photo photo={article.photo} sizes="(min-width: 768px) 160px, 28vw" />
                  </a>
                ) : null}
                <div class="search-hit-text">
                  <h2 class="search-hit-title">
                    <a href={articlePath(article.id)}>
                      <AdFlag origin={article.origin} />
                      <Marked text={article.title} words={props.highlights} />
                    </a>
                  </h2>
                  <p class="search-hit-snippet">
                    <Marked text={snippet} words={props.highlights} />
                  </p>
                  <p class="search-hit-meta">
                    <span class="teaser-section">{article.section.name}</span>
                    <TimeTag
                      ms={article.publishedAt}
                      text={formatKstDateTime(article.publishedAt)}
                    />
                    {bylines.length > 0 ? (
                      <span class="search-hit-byline">
                        {bylines.map((b) => `${b.name} ${b.title || '기자'}`).join(', ')}
                      </span>
                    ) : null}
                  </p>
                </div>
              </li>
            ))}
          </ol>
        ) : null}
        <Pager props={props} />
      </div>
    </SiteLayout>,
  );
}
