import type { Metadata } from 'sharp';
import { loadSharp, type Sharp } from './sharp.ts';
import { AppError, invalidInput } from '../../shared/errors.ts';
import { FALLBACK_MAX_WIDTH, renditionWidthsFor } from './renditions.ts';

/** Limits on what an upload may cost the server. */
export interface ImageLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Largest accepted picture, in pixels (width × height), checked before decoding. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 50_000_000,
};

/** Runs one CPU-heavy step when a slot is free; see createSlots. */
export type RunOnCpu = <T>(task: () => Promise<T>) => Promise<T>;

const unlimited: RunOnCpu = (task) => task();

/**
 * At most `max` tasks at once, the rest wait in order. sharp runs each encode on a libuv
 * thread, off the event loop, but those threads still compete with the event loop for
 * cores: on a 2-core server, five parallel encodes leave little CPU for serving pages.
 */
export function createSlots(max: number): RunOnCpu {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    while (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export interface EncodedImage {
  bytes: Buffer;
  width: number;
  height: number;
}

export interface ProcessedPhoto {
  /** The format the upload really was, read from its bytes. */
  sourceFormat: 'jpeg' | 'png' | 'webp' | 'avif' | 'heic';
  fallback: EncodedImage & { ext: 'jpg' | 'png'; mime: 'image/jpeg' | 'image/png' };
  /** WebP renditions, narrowest first. */
  webp: EncodedImage[];
}

const UNSUPPORTED = '지원하지 않는 사진 형식입니다. JPEG, PNG, WebP 파일을 올려 주세요.';
const CORRUPT =
  '사진 파일이 손상되었거나 끝까지 올라오지 않았습니다. 원본 파일을 확인한 뒤 다시 올려 주세요.';

/**
 * sharp's own pixel limit is applied too, in case a header understates what a decoder
 * later finds, but the explicit check before it gives the editor a message with numbers.
 */
const tooManyPixels = (limits: ImageLimits, width?: number, height?: number): AppError =>
  invalidInput(
    `사진이 너무 큽니다${width !== undefined && height !== undefined ? ` (${width}×${height})` : ''}. ` +
      `${Math.floor(limits.maxPixels / 1_000_000)}메가픽셀 이하로 줄여서 올려 주세요.`,
    { reason: 'too-many-pixels', width, height, maxPixels: limits.maxPixels },
  );

const WEBP_MAX_SIDE = 16383;
const JPEG_MAX_SIDE = 65500;

const mb = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))}MB`;

/** The formats this sharp build decodes, by what the newsroom calls them. */
function readableHeif(sharp: Sharp): { avif: boolean; heic: boolean } {
  const suffixes = sharp.format.heif?.input.fileSuffix ?? [];
  const buffer = sharp.format.heif?.input.buffer === true;
  // Prebuilt sharp ships libheif with the AV1 decoder only (HEVC is patent-encumbered);
  // a build against a system libvips with HEVC lists .heic here.
  return { avif: buffer && suffixes.includes('.avif'), heic: buffer && suffixes.includes('.heic') };
}

/** Turns whatever sharp threw into a message an editor can act on. */
function decodeError(error: unknown, limits: ImageLimits): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return tooManyPixels(limits);
  if (/unsupported image format/i.test(message)) {
    return invalidInput(UNSUPPORTED, { reason: 'unsupported-format' });
  }
  return new AppError('INVALID_INPUT', CORRUPT, { reason: 'corrupt' }, { cause: error });
}

/**
 * Reads an upload, refuses what it must, and encodes the stored files: a fallback at most
 * FALLBACK_MAX_WIDTH wide and WebP renditions. Every output is made from decoded pixels,
 * so no metadata (EXIF with GPS, camera serials, XMP, IPTC, thumbnails) survives, and the
 * pixels are upright (EXIF orientation applied) and sRGB (embedded profiles converted).
 *
 * Everything here is sharp's async API: the work runs on libuv's thread pool, never on
 * the event loop, so other requests keep being served while a photo is encoded.
 */
export async function processPhoto(
  bytes: Buffer,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  cpu: RunOnCpu = unlimited,
  /** false: the checked, re-encoded fallback only (a tip's photo is never published). */
  renditions = true,
): Promise<ProcessedPhoto> {
  if (bytes.length === 0) {
    throw invalidInput('빈 파일입니다. 사진 파일을 골라 주세요.', { reason: 'empty' });
  }
  if (bytes.length > limits.maxBytes) {
    throw invalidInput(
      `사진 파일이 너무 큽니다 (${mb(bytes.length)}). ${mb(limits.maxBytes)} 이하로 올려 주세요.`,
      { reason: 'too-large', bytes: bytes.length, maxBytes: limits.maxBytes },
    );
  }

  // Header only: the format is read from the bytes (never the file name), and the size
  // is checked before a single pixel is decoded, which is what defeats decompression bombs.
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw decodeError(error, limits);
  }
  const sourceFormat = acceptedFormat(meta, sharp);
  if (!(meta.width > 0 && meta.height > 0)) throw invalidInput(CORRUPT, { reason: 'corrupt' });
  if (meta.width * meta.height > limits.maxPixels) {
    throw tooManyPixels(limits, meta.width, meta.height);
  }

  try {
    // Decode once, upright, sRGB, at the fallback size; every stored file is encoded from
    // these pixels, so a 12 MP camera JPEG is decoded once (with JPEG shrink-on-load),
    // not once per rendition.
    const base = await cpu(() =>
      sharp(bytes, {
        limitInputPixels: limits.maxPixels,
        autoOrient: true,
        // 'error', not the stricter 'warning': phone and camera JPEGs often carry harmless
        // libjpeg warnings (extraneous bytes), while truncated files still fail.
        failOn: 'error',
      })
        .resize({ width: FALLBACK_MAX_WIDTH, withoutEnlargement: true })
        .toColourspace('srgb')
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true }),
    );

    const { width, height } = base.info;
    let channels = base.info.channels;
    let pixels = base.data;
    if (channels === 4) {
      // An alpha channel without a single transparent pixel (common in PNG exports) is
      // dropped, so the photo is stored as JPEG: a fraction of the bytes, nothing lost.
      const { isOpaque } = await cpu(() =>
        sharp(pixels, { raw: { width, height, channels } }).stats(),
      );
      if (isOpaque) {
        pixels = await cpu(() =>
          sharp(pixels, { raw: { width, height, channels } }).removeAlpha().raw().toBuffer(),
        );
        channels = 3;
      }
    }
    // WebP cannot be taller than 16383 px: a long vertical infographic gets only the
    // renditions that fit, and one too long even for the narrowest is refused.
    const widths = renditionWidthsFor(width).filter(
      (w) => Math.round((height * w) / width) <= WEBP_MAX_SIDE,
    );
    if ((renditions && widths.length === 0) || height > JPEG_MAX_SIDE) {
      throw invalidInput(
        `사진이 너무 깁니다 (${meta.autoOrient.width}×${meta.autoOrient.height}). 세로가 가로의 50배를 넘지 않게 나눠서 올려 주세요.`,
        { reason: 'too-tall', width: meta.autoOrient.width, height: meta.autoOrient.height },
      );
    }
    const raw = { width, height, channels } as const;
    const fromPixels = () => sharp(pixels, { raw });
    const transparent = channels === 4;

    const fallbackJob = cpu(() =>
      (transparent
        ? // Adaptive filtering makes photographic PNGs about a third the size; zlib level
          // 9 would add a little more for eight times the time (6 s at 1600 px).
          fromPixels().png({ compressionLevel: 6, adaptiveFiltering: true })
        : // Not mozjpeg: it saves about 8% of bytes on a file that few readers get (browsers
          // take the WebP), and costs ten times the CPU (370 ms vs 40 ms at 1600 px).
          fromPixels().jpeg({ quality: 82, progressive: true })
      ).toBuffer(),
    );
    const webpJobs = Promise.all(
      (renditions ? widths : []).map(async (w): Promise<EncodedImage> => {
        const { data, info } = await cpu(() =>
          (w === width ? fromPixels() : fromPixels().resize({ width: w }))
            .webp({ quality: 75 })
            .toBuffer({ resolveWithObject: true }),
        );
        return { bytes: data, width: info.width, height: info.height };
      }),
    );
    const [fallback, webp] = await Promise.all([fallbackJob, webpJobs]);
    return {
      sourceFormat,
      fallback: transparent
        ? { bytes: fallback, width, height, ext: 'png', mime: 'image/png' }
        : { bytes: fallback, width, height, ext: 'jpg', mime: 'image/jpeg' },
      webp,
    };
  } catch (error) {
    throw decodeError(error, limits);
  }
}

function acceptedFormat(meta: Metadata, sharp: Sharp): ProcessedPhoto['sourceFormat'] {
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
      return meta.format;
    case 'heif': {
      const heif = readableHeif(sharp);
      if (meta.compression === 'av1' && heif.avif) return 'avif';
      if (meta.compression === 'hevc' && heif.heic) return 'heic';
      if (meta.compression === 'hevc') {
        throw invalidInput(
          'HEIC 사진은 아직 받을 수 없습니다. 휴대전화에서 JPEG로 내보내거나 카메라 설정을 "호환성 우선"으로 바꿔 찍은 사진을 올려 주세요.',
          { reason: 'unsupported-format', format: 'heic' },
        );
      }
      break;
    }
  }
  throw invalidInput(UNSUPPORTED, { reason: 'unsupported-format', format: meta.format });
}
