export type { TokenCheck } from './form-token.ts';
export {
  addressGroup,
  DEFAULT_TIP_LIMITS,
  type Admission,
  type LimitRule,
  type Ticket,
  type TipLimits,
} from './limits.ts';
export {
  createTips,
  TIP_RULES,
  type CleanedPhoto,
  type TipDeps,
  type TipDetail,
  type TipFileInput,
  type TipFileMeta,
  type TipInput,
  type Tips,
  type TipSummary,
} from './service.ts';
