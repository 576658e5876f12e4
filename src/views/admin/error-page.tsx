import { renderDocument } from '../jsx/jsx-runtime.ts';
import { AdminBareLayout } from './AdminLayout.tsx';

/** What the newsroom shows when a request could not be answered. */
export function renderAdminError(view: {
  siteName: string;
  stylesheet: string;
  status: number;
  message: string;
}): string {
  return renderDocument(
    <AdminBareLayout siteName={view.siteName} stylesheet={view.stylesheet} title="오류">
      <h1>
        {view.status === 403
          ? '권한이 없습니다'
          : view.status === 404
            ? '찾을 수 없습니다'
            : '처리하지 못했습니다'}
      </h1>
      <p>{view.message}</p>
      <p>
        <a class="button" href="/admin">
          뉴스룸 첫 화면으로
        </a>
      </p>
    </AdminBareLayout>,
  );
}
