import type { Child } from '../jsx/jsx-runtime.ts';

export interface ArticleToolsProps {
  /** The article's canonical URL. */
  url: string;
  title: string;
  /** The first lines shown under the title in a KakaoTalk card. */
  description: string;
  /** An absolute image URL for the KakaoTalk card; without one the card is text only. */
  image: string | null;
  siteUrl: string;
  /** With a Kakao JavaScript key, a KakaoTalk button (its SDK loads when pressed). */
  kakaoJsKey: string | null;
}

function Icon({ children }: { children?: Child }) {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

const external = { target: '_blank', rel: 'noopener noreferrer' } as const;

/**
 * Sharing and reading controls under an article's byline. The share links work without
 * script (plain links to Facebook, X and 네이버 밴드, nothing loaded from them until
 * pressed); KakaoTalk, link copy, the phone's own share sheet, font size and print need
 * the site script and show only with it (`html.js`, set before the first paint, so
 * nothing moves when they appear).
 */
export function ArticleTools(props: ArticleToolsProps) {
  const u = encodeURIComponent(props.url);
  const band = encodeURIComponent(`${props.title}\n${props.url}`);
  return (
    <div
      class="article-tools"
      data-article-tools
      data-share-url={props.url}
      data-share-title={props.title}
      data-share-description={props.description}
      data-share-image={props.image ?? undefined}
      data-kakao-key={props.kakaoJsKey ?? undefined}
    >
      <ul class="share-list" aria-label="기사 공유">
        {props.kakaoJsKey === null ? null : (
          <li class="needs-js">
            <button type="button" class="share share-kakao" data-share="kakao" title="카카오톡">
              <Icon>
                <circle cx="12" cy="12" r="12" fill="#fee500" />
                <ellipse cx="12" cy="11.2" rx="6.6" ry="5.2" fill="#3c1e1e" />
                <path d="M8.6 14.6 7.7 18l3.4-2.4z" fill="#3c1e1e" />
              </Icon>
              <span class="visually-hidden">카카오톡으로 공유</span>
            </button>
          </li>
        )}
        <li>
          <a
            class="share share-facebook"
            href={`https://www.facebook.com/sharer/sharer.php?u=${u}`}
            title="페이스북"
            {...external}
          >
            <Icon>
              <circle cx="12" cy="12" r="12" fill="#1877f2" />
              <path
                d="M13.3 19.5v-6h2l.3-2.4h-2.3V9.6c0-.7.2-1.2 1.2-1.2h1.2V6.3a16 16 0 0 0-1.8-.1c-1.8 0-3 1.1-3 3.1v1.8h-2v2.4h2v6z"
                fill="#fff"
              />
            </Icon>
            <span class="visually-hidden">페이스북으로 공유 (새 창)</span>
          </a>
        </li>
        <li>
          <a
            class="share share-x"
            href={`https://x.com/intent/post?url=${u}&text=${encodeURIComponent(props.title)}`}
            title="X"
            {...external}
          >
            <Icon>
              <circle cx="12" cy="12" r="12" fill="#111" />
              <path
                d="M6.6 6.5h3.2l2.6 3.6 3.1-3.6h1.3l-3.8 4.5 4.4 6.5h-3.2l-2.8-4-3.5 4H6.6l4.1-4.8z"
                fill="#fff"
              />
            </Icon>
            <span class="visually-hidden">X(트위터)로 공유 (새 창)</span>
          </a>
        </li>
        <li>
          <a
            class="share share-band"
            href={`https://band.us/plugin/share?body=${band}&route=${encodeURIComponent(props.siteUrl)}`}
            title="네이버 밴드"
            {...external}
          >
            <Icon>
              <circle cx="12" cy="12" r="12" fill="#1ec800" />
              <path
                d="M8.5 6h2.3v4a3.7 3.7 0 1 1-2.3 3.4zm2.3 7.4a1.5 1.5 0 1 0 1.5-1.5 1.5 1.5 0 0 0-1.5 1.5z"
                fill="#fff"
              />
            </Icon>
            <span class="visually-hidden">네이버 밴드로 공유 (새 창)</span>
          </a>
        </li>
        <li class="needs-js">
          <button type="button" class="share share-copy" data-share="copy" title="링크 복사">
            <Icon>
              <circle cx="12" cy="12" r="11.25" class="tool-ring" />
              <path
                d="M10.6 13.4a2.9 2.9 0 0 0 4.1 0l2.2-2.2a2.9 2.9 0 0 0-4.1-4.1l-.9.9M13.4 10.6a2.9 2.9 0 0 0-4.1 0l-2.2 2.2a2.9 2.9 0 0 0 4.1 4.1l.9-.9"
                class="tool-stroke"
              />
            </Icon>
            <span class="visually-hidden">기사 주소 복사</span>
          </button>
        </li>
        <li class="needs-js share-native" hidden>
          <button type="button" class="share share-more" data-share="native" title="더 보기">
            <Icon>
              <circle cx="12" cy="12" r="11.25" class="tool-ring" />
              <path d="M12 6.5v8M8.8 9.2 12 6l3.2 3.2M7.5 12.5v4.5h9v-4.5" class="tool-stroke" />
            </Icon>
            <span class="visually-hidden">다른 앱으로 공유</span>
          </button>
        </li>
      </ul>
      <div class="reading-tools needs-js" role="group" aria-label="읽기 도구">
        <button type="button" class="tool" data-font-step="-1" title="글자 작게">
          <span aria-hidden="true">
            가<small>−</small>
          </span>
          <span class="visually-hidden">글자 작게</span>
        </button>
        <button type="button" class="tool" data-font-step="1" title="글자 크게">
          <span aria-hidden="true">
            가<small>+</small>
          </span>
          <span class="visually-hidden">글자 크게</span>
        </button>
        <button type="button" class="tool" data-print title="인쇄">
          <Icon>
            <path
              d="M7 9V4h10v5M7 17H5v-6a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v6h-2M8 14h8v6H8z"
              class="tool-stroke"
            />
          </Icon>
          <span class="visually-hidden">인쇄</span>
        </button>
      </div>
      <p class="tools-status" role="status" aria-live="polite" data-tools-status></p>
    </div>
  );
}
