export {
  createBannerStore,
  bannerSlots,
  isBannerSlot,
  PHONE_MAX_BANNER_WIDTH,
  runsOn,
  targets,
  type Banner,
  type BannerKind,
  type BannerSlot,
  type BannerStore,
  type BannerInput,
  type Campaign,
  type DeviceClass,
  type DeviceTarget,
  type SlotSettings,
} from './banners.ts';
export {
  createAdStats,
  dailyStatsCsv,
  kstDayNumber,
  type AdStats,
  type DailyAdStats,
} from './stats.ts';
export { storeBannerImage, MAX_BANNER_BYTES } from './images.ts';
