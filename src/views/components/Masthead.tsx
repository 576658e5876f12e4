import { formatKstDateWithWeekday, toKstIso } from '../../shared/kst.ts';
import type { ChromeView } from '../model.ts';
import { sectionPath } from '../urls.ts';
import { BannerSlot } from './Banner.tsx';
import { Ticker } from './Ticker.tsx';

export function Masthead({ chrome, isFront }: { chrome: ChromeView; isFront: boolean }) {
  const Title = isFront ? 'h1' : 'p';
  return (
    <header class="site-header">
      <a class="skip-link" href="#main">
        본문 바로가기
      </a>
      <BannerSlot chrome={chrome} slot="header-top" />
      <div class="masthead wrap">
        <p class="today">
          <time datetime={toKstIso(chrome.now).slice(0, 10)}>
            {formatKstDateWithWeekday(chrome.now)}
          </time>
        </p>
        <Title class="logo">
          <a href="/" aria-label={`${chrome.publisher.name} 홈`}>
            {chrome.publisher.name}
          </a>
        </Title>
        <form
          class="masthead-search"
          action="/search"
          method="get"
          role="search"
          aria-label="사이트 검색"
        >
          <label class="visually-hidden" for="masthead-q">
            기사 검색
          </label>
          <input
            id="masthead-q"
            type="search"
            name="q"
            placeholder="기사 검색"
            maxlength={200}
            enterkeyhint="search"
          />
          <button type="submit">검색</button>
        </form>
        <BannerSlot chrome={chrome} slot="masthead-side" />
      </div>
      <nav class="site-nav" aria-label="섹션">
        <ul class="wrap">
          <li>
            <a href="/" aria-current={isFront ? 'page' : undefined}>
              홈
            </a>
          </li>
          {chrome.nav.map((s) => (
            <li>
              <a
                href={sectionPath(s.slug)}
                aria-current={chrome.currentSection === s.slug ? 'page' : undefined}
              >
                {s.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="wrap">
        <Ticker ticker={chrome.ticker} />
      </div>
    </header>
  );
}
