import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';
import { ArticleTable, type ArticleRowView } from '../../../views/admin/ArticleTable.tsx';

export interface DashboardView {
  queue: ArticleRowView[];
  mine: ArticleRowView[];
  scheduled: ArticleRowView[];
  canPublish: boolean;
  mustChangePassword: boolean;
}

export function renderDashboard(chrome: AdminChrome, view: DashboardView): string {
  // The desk runs the day; a writer's first page is their own pieces.
  const title = view.canPublish ? '오늘의 데스크' : '내 기사';
  const returned = view.mine.filter((r) => r.sentBack !== null);
  return renderDocument(
    <AdminLayout chrome={chrome} title={title}>
      <div class="page-head">
        <h1>{title}</h1>
        <a class="button primary" href="/admin/articles/new">
          새 기사 쓰기
        </a>
      </div>
      {returned.length > 0 ? (
        <section class="panel panel-attention">
          <h2>
            반려된 기사 <span class="count">{returned.length}</span>
          </h2>
          <p class="hint">데스크의 의견을 반영해 고친 뒤 다시 데스크로 보내세요.</p>
          <ArticleTable rows={returned} />
        </section>
      ) : null}
      {view.canPublish ? (
        <section class="panel">
          <h2>
            데스크 대기 <span class="count">{view.queue.length}</span>
          </h2>
          <ArticleTable rows={view.queue} />
        </section>
      ) : null}
      {view.canPublish ? (
        <section class="panel">
          <h2>예약 송고</h2>
          <ArticleTable rows={view.scheduled} />
        </section>
      ) : null}
      <section class="panel">
        <h2>{view.canPublish ? '내 기사' : '최근에 쓴 기사'}</h2>
        <ArticleTable rows={view.mine} />
      </section>
    </AdminLayout>,
  );
}
