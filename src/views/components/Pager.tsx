/** Page numbers around the current one, like a Korean news site's list pager. */
export function pageWindow(page: number, pageCount: number, width = 10): number[] {
  const start = Math.floor((page - 1) / width) * width + 1;
  const end = Math.min(pageCount, start + width - 1);
  const pages: number[] = [];
  for (let p = start; p <= end; p++) pages.push(p);
  return pages;
}

/** Numbered pages of a list (sections, tags, reporters), ten at a time with 이전/다음. */
export function Pager({
  page,
  pageCount,
  href,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
}) {
  if (pageCount <= 1) return null;
  const pages = pageWindow(page, pageCount);
  const first = pages[0] ?? 1;
  const last = pages[pages.length - 1] ?? pageCount;
  return (
    <nav class="pager" aria-label="페이지">
      {first > 1 ? (
        <a href={href(first - 1)} rel="prev">
          이전
        </a>
      ) : null}
      {pages.map((p) =>
        p === page ? <strong aria-current="page">{p}</strong> : <a href={href(p)}>{p}</a>,
      )}
      {last < pageCount ? (
        <a href={href(last + 1)} rel="next">
          다음
        </a>
      ) : null}
    </nav>
  );
}
