/** 정정보도, 반론보도, 추후보도: the notices a newspaper attaches to a published article. */
export const NOTICE_KINDS = {
  correction: '정정보도',
  reply: '반론보도',
  followup: '추후보도',
} as const;

export type NoticeKind = keyof typeof NOTICE_KINDS;

export function isNoticeKind(value: unknown): value is NoticeKind {
  return typeof value === 'string' && Object.hasOwn(NOTICE_KINDS, value);
}
