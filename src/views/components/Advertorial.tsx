import type { ArticleOrigin } from '../../shared/article-origins.ts';

/**
 * 광고성 기사 must not pass for news (신문법·인터넷신문 윤리강령; portal partners check it):
 * a listed advertorial carries 광고 before its title, and its page says so above the title.
 */
export function AdFlag({ origin }: { origin?: ArticleOrigin | undefined }) {
  return origin === 'advertorial' ? <span class="flag-ad">광고</span> : null;
}

export function AdvertorialNotice({ origin }: { origin?: ArticleOrigin | undefined }) {
  if (origin !== 'advertorial') return null;
  return (
    <p class="advertorial-notice" role="note">
      <span class="flag-ad">광고</span> 이 기사는 광고입니다. 광고주가 비용을 내고 실은 광고성
      기사로, 편집국의 취재 기사가 아닙니다.
    </p>
  );
}
