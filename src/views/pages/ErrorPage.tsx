import { renderDocument } from '../jsx/jsx-runtime.ts';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView } from '../model.ts';

const MESSAGES: Record<number, { title: string; text: string }> = {
  400: {
    title: '잘못된 요청입니다',
    text: '주소나 입력값이 올바르지 않습니다. 주소를 다시 확인해 주세요.',
  },
  404: {
    title: '페이지를 찾을 수 없습니다',
    text: '요청하신 기사나 페이지가 없거나, 삭제되었거나, 아직 공개되지 않았습니다.',
  },
  500: {
    title: '일시적인 오류가 발생했습니다',
    text: '잠시 후 다시 시도해 주세요. 문제가 계속되면 신문사로 알려 주세요.',
  },
  503: { title: '잠시 후 다시 시도해 주세요', text: '서비스를 일시적으로 이용할 수 없습니다.' },
};

export function renderErrorPage({
  chrome,
  status,
  path,
  detail,
}: {
  chrome: ChromeView;
  status: number;
  path: string;
  detail?: string;
}): string {
  const m = MESSAGES[status] ?? MESSAGES[500]!;
  return renderDocument(
    <SiteLayout
      chrome={chrome}
      meta={{ title: m.title, description: m.text, path, type: 'website', robots: 'noindex' }}
    >
      <section class="error-page">
        <p class="error-code">{status}</p>
        <h1>{m.title}</h1>
        <p>{detail ?? m.text}</p>
        <p>
          <a class="button" href="/">
            첫 화면으로
          </a>
        </p>
      </section>
    </SiteLayout>,
  );
}
