import { kstParts } from '../../shared/kst.ts';
import { POLICY_PAGES } from '../../shared/policy-pages.ts';
import type { ChromeView } from '../model.ts';
import { policyPath } from '../urls.ts';
import { BannerSlot } from './Banner.tsx';

/** The footer the Newspaper Act (신문법) requires of an internet newspaper. */
export function Footer({ chrome }: { chrome: ChromeView }) {
  const p = chrome.publisher;
  const year = kstParts(chrome.now).year;
  return (
    <footer class="site-footer">
      <div class="wrap">
        <BannerSlot chrome={chrome} slot="above-footer" />
        <nav class="footer-links" aria-label="약관과 안내">
          <ul>
            {POLICY_PAGES.map((page) => (
              <li>
                {/* The law asks that the privacy policy stand out from the other links. */}
                <a
                  href={policyPath(page.slug)}
                  class={page.slug === 'privacy' ? 'policy-privacy' : undefined}
                >
                  {page.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="footer-name">{p.name}</p>
        <dl class="footer-legal">
          <div>
            <dt>주소</dt>
            <dd>{p.address}</dd>
          </div>
          <div>
            <dt>대표전화</dt>
            <dd>
              <a href={`tel:${p.phone.replace(/[^0-9+]/g, '')}`}>{p.phone}</a>
            </dd>
          </div>
          <div>
            <dt>이메일</dt>
            <dd>
              <a href={`mailto:${p.email}`}>{p.email}</a>
            </dd>
          </div>
          <div>
            <dt>인터넷신문 등록번호</dt>
            <dd>{p.registrationNumber}</dd>
          </div>
          <div>
            <dt>등록일</dt>
            <dd>{p.registrationDate}</dd>
          </div>
          <div>
            <dt>발행인</dt>
            <dd>{p.publisher}</dd>
          </div>
          <div>
            <dt>편집인</dt>
            <dd>{p.editor}</dd>
          </div>
          <div>
            <dt>청소년보호책임자</dt>
            <dd>{p.youthProtectionOfficer}</dd>
          </div>
        </dl>
        <p class="copyright">
          {p.name}의 모든 콘텐츠(영상, 기사, 사진)는 저작권법의 보호를 받은바, 무단 전재와 복사,
          배포 등을 금합니다.
          <br />
          Copyright © {year} {p.copyrightHolder}. All rights reserved.
        </p>
      </div>
    </footer>
  );
}
