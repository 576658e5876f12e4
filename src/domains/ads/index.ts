export {
  createBannerStore,
  bannerSlots,
  type Banner,
  type BannerSlot,
  type BannerStore,
  type BannerInput,
} from './banners.ts';
