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
  return renderDocument(
    <AdminLayout chrome={chrome} title="오늘의 데스크">
      <div class="page-head">
        <h1>오늘의 데스크</h1>
        <a class="button primary" href="/admin/articles/new">
          새 기사 쓰기
        </a>
      </div>
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
        <h2>내 기사</h2>
        <ArticleTable rows={view.mine} />
      </section>
    </AdminLayout>,
  );
}
