import { randomBytes } from 'node:crypto';
import type { Metadata } from 'sharp';
import { loadSharp } from '../media/index.ts';
import type { MediaStorage } from '../media/index.ts';
import { invalidInput } from '../../shared/errors.ts';

export const MAX_BANNER_BYTES = 2 * 1024 * 1024;
const MAX_SIDE = 4000;

/**
 * Stores an uploaded banner image and returns its key and size. JPEG, PNG and WebP are
 * kept as sent (advertisers' artwork is final); GIF becomes animated WebP, which the
 * media store serves and every current browser shows. Anything else is refused with a
 * message the ad desk can act on.
 */
export async function storeBannerImage(
  media: MediaStorage,
  bytes: Buffer,
): Promise<{ key: string; width: number; height: number }> {
  if (bytes.length === 0) throw invalidInput('배너 이미지 파일을 골라 주세요.', { field: 'image' });
  if (bytes.length > MAX_BANNER_BYTES) {
    throw invalidInput('배너 이미지는 2MB까지 올릴 수 있습니다.', { field: 'image' });
  }
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { animated: true, limitInputPixels: MAX_SIDE * MAX_SIDE }).metadata();
  } catch {
    throw invalidInput(
      '이미지로 읽을 수 없는 파일입니다. JPEG, PNG, GIF, WebP 파일을 올려 주세요.',
      {
        field: 'image',
      },
    );
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw invalidInput(`배너 이미지는 가로·세로 ${MAX_SIDE}픽셀까지입니다.`, { field: 'image' });
  }
  const name = `ads/${randomBytes(12).toString('hex')}`;
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp': {
      const key = `${name}.${meta.format === 'jpeg' ? 'jpg' : meta.format}`;
      await media.put(key, bytes);
      return { key, width, height };
    }
    case 'gif': {
      const webp = await sharp(bytes, { animated: true }).webp({ quality: 90 }).toBuffer();
      const key = `${name}.webp`;
      await media.put(key, webp);
      return { key, width, height };
    }
    default:
      throw invalidInput('JPEG, PNG, GIF, WebP 이미지만 배너로 쓸 수 있습니다.', {
        field: 'image',
      });
  }
}
