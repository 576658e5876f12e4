/**
 * The pages a Korean internet newspaper publishes beside its news: the ones the law asks
 * for (개인정보처리방침, 청소년보호정책), the ones readers look for (이용약관, 저작권 정책,
 * 윤리강령) and the two ways to reach the paper (기사제보, 광고문의). Slugs are the URLs'
 * last part and never change; the order is the footer's.
 */
export const POLICY_PAGES = [
  { slug: 'terms', title: '이용약관' },
  { slug: 'privacy', title: '개인정보처리방침' },
  { slug: 'youth', title: '청소년보호정책' },
  { slug: 'copyright', title: '저작권 정책' },
  { slug: 'ethics', title: '윤리강령' },
  { slug: 'tip', title: '기사제보' },
  { slug: 'advertising', title: '광고문의' },
] as const;

export type PolicySlug = (typeof POLICY_PAGES)[number]['slug'];

export function isPolicySlug(value: string): value is PolicySlug {
  return POLICY_PAGES.some((p) => p.slug === value);
}

export function policyTitle(slug: PolicySlug): string {
  return POLICY_PAGES.find((p) => p.slug === slug)?.title ?? slug;
}
