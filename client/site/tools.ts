import { DEFAULT_FONT_STEP, FONT_SIZE_KEY, FONT_STEPS, remember } from './prefs.ts';

/** The KakaoTalk share SDK, pinned with its integrity hash; loaded only when a reader shares. */
export const KAKAO_SDK = {
  src: 'https://t1.kakaocdn.net/kakao_js_sdk/2.7.4/kakao.min.js',
  integrity: 'sha384-DKYJZ8NLiK8MN4/C5P2dtSmLQ4KwPaoqAfyA/DfmEc1VDxu4yyC7wy6K1Hs90nka',
};

/** The part of the Kakao SDK this page uses. */
interface KakaoSdk {
  isInitialized(): boolean;
  init(key: string): void;
  Share: { sendDefault(settings: Record<string, unknown>): void };
}

type KakaoWindow = Window & { Kakao?: KakaoSdk };

interface ShareData {
  url: string;
  title: string;
  description: string;
  image: string | null;
}

/**
 * The article's share and reading buttons (views/components/ArticleTools.tsx): KakaoTalk
 * through its SDK, fetched on the first press and never before; link copy with a visible
 * confirmation; the phone's share sheet where there is one; font size in steps, kept in
 * this browser; print.
 */
export function runArticleTools(doc: Document, win: Window): void {
  const root = doc.querySelector<HTMLElement>('[data-article-tools]');
  if (root === null) return;
  const data: ShareData = {
    url: root.dataset.shareUrl ?? doc.location.href,
    title: root.dataset.shareTitle ?? doc.title,
    description: root.dataset.shareDescription ?? '',
    image: root.dataset.shareImage ?? null,
  };
  const status = root.querySelector<HTMLElement>('[data-tools-status]');
  let hideStatus: number | undefined;
  const say = (text: string) => {
    if (status === null) return;
    status.textContent = text;
    status.classList.add('is-shown');
    win.clearTimeout(hideStatus);
    hideStatus = win.setTimeout(() => status.classList.remove('is-shown'), 3500);
  };

  const nav = win.navigator;
  const native = root.querySelector<HTMLElement>('.share-native');
  // The system share sheet where phones have one; desktops keep the buttons above.
  if (
    native !== null &&
    typeof nav.share === 'function' &&
    win.matchMedia('(pointer: coarse)').matches
  )
    native.hidden = false;

  const kakaoKey = root.dataset.kakaoKey ?? '';
  let kakao: Promise<KakaoSdk> | null = null;
  const loadKakao = (): Promise<KakaoSdk> =>
    (kakao ??= new Promise<KakaoSdk>((resolve, reject) => {
      const script = doc.createElement('script');
      script.src = KAKAO_SDK.src;
      script.integrity = KAKAO_SDK.integrity;
      script.crossOrigin = 'anonymous';
      script.async = true;
      script.onload = () => {
        const sdk = (win as KakaoWindow).Kakao;
        if (sdk === undefined) return reject(new Error('Kakao SDK missing'));
        if (!sdk.isInitialized()) sdk.init(kakaoKey);
        resolve(sdk);
      };
      script.onerror = () => {
        script.remove();
        kakao = null;
        reject(new Error('Kakao SDK not loaded'));
      };
      doc.head.append(script);
    }));

  const shareToKakao = (sdk: KakaoSdk) => {
    const link = { mobileWebUrl: data.url, webUrl: data.url };
    sdk.Share.sendDefault(
      data.image === null
        ? { objectType: 'text', text: data.title, link, buttonTitle: '기사 보기' }
        : {
            objectType: 'feed',
            content: {
              title: data.title,
              description: data.description,
              imageUrl: data.image,
              link,
            },
            buttons: [{ title: '기사 보기', link }],
          },
    );
  };

  root.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>('button');
    if (button === null || button === undefined || !root.contains(button)) return;
    const share = button.dataset.share;
    if (share === 'kakao') {
      loadKakao().then(shareToKakao, () =>
        say('카카오톡 공유를 불러오지 못했습니다. 링크 복사를 이용해 주세요.'),
      );
    } else if (share === 'copy') {
      void copy(data.url, doc, nav).then((done) =>
        say(done ? '기사 주소를 복사했습니다.' : `복사하지 못했습니다. 주소: ${data.url}`),
      );
    } else if (share === 'native') {
      nav
        .share({ title: data.title, text: data.description, url: data.url })
        .catch(() => undefined);
    } else if (button.dataset.fontStep !== undefined) {
      const step = setFontStep(doc, fontStep(doc) + Number(button.dataset.fontStep));
      say(`글자 크기 ${step}단계 (${FONT_STEPS}단계 중)`);
      syncFontButtons(root, step);
    } else if (button.dataset.print !== undefined) {
      win.print();
    }
  });
  // Starting the download on the press (before the click completes) keeps a phone's tap
  // within the user gesture KakaoTalk needs to open.
  root
    .querySelector('[data-share="kakao"]')
    ?.addEventListener('pointerdown', () => void loadKakao().catch(() => undefined));
  syncFontButtons(root, fontStep(doc));
}

function fontStep(doc: Document): number {
  const step = Number(doc.documentElement.getAttribute('data-font-size'));
  return Number.isInteger(step) && step >= 1 && step <= FONT_STEPS ? step : DEFAULT_FONT_STEP;
}

function setFontStep(doc: Document, wanted: number): number {
  const step = Math.min(FONT_STEPS, Math.max(1, wanted));
  doc.documentElement.setAttribute('data-font-size', String(step));
  remember(FONT_SIZE_KEY, String(step));
  return step;
}

function syncFontButtons(root: HTMLElement, step: number): void {
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-font-step]')) {
    const at = Number(b.dataset.fontStep) < 0 ? 1 : FONT_STEPS;
    b.setAttribute('aria-disabled', String(step === at));
  }
}

/** The Clipboard API where the page may use it, the old way where it may not (plain http). */
async function copy(text: string, doc: Document, nav: Navigator): Promise<boolean> {
  try {
    await nav.clipboard.writeText(text);
    return true;
  } catch {
    const field = doc.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.className = 'copy-buffer';
    doc.body.append(field);
    field.select();
    let done: boolean;
    try {
      done = doc.execCommand('copy');
    } catch {
      done = false;
    }
    field.remove();
    return done;
  }
}
