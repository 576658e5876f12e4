/**
 * Where an article comes from (기사 출처 구분). Portal partners (Naver, Daum) count 자체기사
 * and require advertorials to be told apart from news; the key is stored, the label shown.
 */
export const ARTICLE_ORIGINS = {
  own: '자체기사',
  wire: '통신',
  press_release: '보도자료',
  contribution: '기고',
  advertorial: '광고성 기사',
} as const;

export type ArticleOrigin = keyof typeof ARTICLE_ORIGINS;

/** New articles are the paper's own reporting unless the writer says otherwise. */
export const DEFAULT_ORIGIN: ArticleOrigin = 'own';

export const ORIGIN_KEYS = Object.keys(ARTICLE_ORIGINS) as ArticleOrigin[];

export function isArticleOrigin(value: unknown): value is ArticleOrigin {
  return typeof value === 'string' && Object.hasOwn(ARTICLE_ORIGINS, value);
}

/** A key or its Korean label (an archive may carry either): the key, or null. */
export function parseArticleOrigin(value: string): ArticleOrigin | null {
  const text = value.trim();
  if (isArticleOrigin(text)) return text;
  const byLabel = ORIGIN_KEYS.find((k) => ARTICLE_ORIGINS[k] === text);
  return byLabel ?? null;
}

/** `own(자체기사), wire(통신), …`: the accepted values, for error messages. */
export const ORIGIN_CHOICES = ORIGIN_KEYS.map((k) => `${k}(${ARTICLE_ORIGINS[k]})`).join(', ');
