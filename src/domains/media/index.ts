export {
  createLocalMediaStorage,
  assertSafeKey,
  contentTypeOf,
  digestsOf,
  isSafeKey,
  MEDIA_CACHE_CONTROL,
  MEDIA_PATH_PREFIX,
  type MediaAnswer,
  type MediaObjectInfo,
  type MediaRequest,
  type MediaStorage,
} from './storage.ts';
export { createS3MediaStorage, type S3MediaOptions, type S3MediaStorage } from './s3-storage.ts';
export {
  copyMediaLibrary,
  failureReason,
  type CopyOptions,
  type CopyProgress,
  type CopySummary,
} from './copy.ts';
export {
  FALLBACK_MAX_WIDTH,
  RENDITION_WIDTHS,
  parseVariants,
  photoSources,
  renditionKey,
  renditionWidthsFor,
  srcsetOf,
  type PhotoSource,
} from './renditions.ts';
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './image.ts';
export {
  createPhotoLibrary,
  PHOTO_TEXT_LIMITS,
  type PhotoLibrary,
  type PhotoLibraryDeps,
  type PhotoLibraryOptions,
  type PhotoPage,
  type PhotoSearch,
  type PhotoText,
  type PhotoUploadMeta,
  type StoredPhoto,
  type StoredRenditions,
} from './upload.ts';
export {
  createShareImages,
  cropBox,
  hangulRenders,
  type CropSource,
  type ShareImages,
} from './share-images.ts';
export { loadSharp, type Sharp } from './sharp.ts';
