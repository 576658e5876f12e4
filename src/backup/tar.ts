/**
 * The POSIX tar format (ustar, with pax headers for long paths and large sizes), written
 * and read by hand: the backup needs only regular files, and no tar package is a
 * dependency. `tar tzf backup.tar.gz` lists what Tamna writes.
 */

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
/** The largest size the ustar field holds (11 octal digits); larger ones go in a pax header. */
const USTAR_MAX_SIZE = 0o77777777777;

export class TarFormatError extends Error {}

/** The header (and pax header, if needed) that precedes a regular file's bytes. */
export function fileHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  const pax: string[] = [];
  const nameBytes = Buffer.byteLength(name);
  if (nameBytes > 100 || /[^\x20-\x7e]/.test(name)) pax.push(paxRecord('path', name));
  if (size > USTAR_MAX_SIZE) pax.push(paxRecord('size', String(size)));
  const plain = ustarHeader(
    pax.length > 0 ? asciiName(name) : name,
    size > USTAR_MAX_SIZE ? 0 : size,
    mtimeSeconds,
    '0',
  );
  if (pax.length === 0) return plain;
  const body = Buffer.from(pax.join(''));
  return Buffer.concat([
    ustarHeader('PaxHeader', body.length, mtimeSeconds, 'x'),
    body,
    padding(body.length),
    plain,
  ]);
}

/** Zero bytes that fill the last block of an entry of `size` bytes. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

function paxRecord(key: string, value: string): string {
  // "<length> <key>=<value>\n", where length counts its own digits too.
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length++;
  return `${length}${rest}`;
}

/** A readable stand-in for tools that ignore pax headers. */
function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_').slice(-100);
}

function ustarHeader(name: string, size: number, mtime: number, type: '0' | 'x'): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, mtime);
  header.write(type, 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write('tamna', 265, 32, 'ascii');
  header.write('tamna', 297, 32, 'ascii');
  header.fill(0x20, 148, 156);
  writeOctal(header, 148, 8, checksum(header));
  return header;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  return sum;
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = block
    .toString('ascii', offset, offset + length)
    .replace(/\0.*$/s, '')
    .trim();
  if (!/^[0-7]*$/.test(text)) throw new TarFormatError('a header has a malformed number');
  return text === '' ? 0 : parseInt(text, 8);
}

function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString(
    'utf8',
    offset,
    end === -1 || end > offset + length ? offset + length : end,
  );
}

export type TarEvent =
  { kind: 'file'; name: string; size: number } | { kind: 'data'; chunk: Buffer } | { kind: 'end' };

/**
 * Parses a tar stream into events: each regular file's header, its bytes in chunks, and
 * the end-of-archive marker. A damaged header (bad checksum), an entry type other than a
 * file or directory, or bytes ending early are TarFormatErrors; a stream that stops
 * without the end marker yields no 'end' event.
 */
export async function* readTar(input: AsyncIterable<Buffer>): AsyncGenerator<TarEvent> {
  let buffered: Buffer = Buffer.alloc(0);
  let remaining = 0; // bytes of the current entry still to come
  let skipPadding = 0;
  let pax: Record<string, string> = {};
  // The body of a pax header being read; `global` ones (type g) are read and dropped.
  let paxBody: Buffer[] | null = null;
  let paxGlobal = false;
  let zeroBlocks = 0;
  let ended = false;

  for await (const chunk of input) {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      if (ended) {
        // Anything after the end marker must be zero padding.
        if (buffered.some((b) => b !== 0)) throw new TarFormatError('data after the end');
        buffered = Buffer.alloc(0);
        break;
      }
      if (remaining > 0) {
        if (buffered.length === 0) break;
        const take = Math.min(remaining, buffered.length);
        const part = buffered.subarray(0, take);
        buffered = buffered.subarray(take);
        remaining -= take;
        if (paxBody !== null) paxBody.push(Buffer.from(part));
        else yield { kind: 'data', chunk: part };
        if (remaining === 0 && paxBody !== null) {
          const records = parsePax(Buffer.concat(paxBody));
          if (!paxGlobal) pax = records;
          paxBody = null;
        }
        continue;
      }
      if (skipPadding > 0) {
        if (buffered.length < skipPadding) {
          skipPadding -= buffered.length;
          buffered = Buffer.alloc(0);
          break;
        }
        buffered = buffered.subarray(skipPadding);
        skipPadding = 0;
        continue;
      }
      if (buffered.length < BLOCK) break;
      const header = buffered.subarray(0, BLOCK);
      buffered = buffered.subarray(BLOCK);
      if (header.equals(ZERO_BLOCK)) {
        zeroBlocks++;
        if (zeroBlocks === 2) {
          ended = true;
          yield { kind: 'end' };
        }
        continue;
      }
      if (zeroBlocks > 0) throw new TarFormatError('a header follows an empty block');
      if (readOctal(header, 148, 8) !== checksum(header))
        throw new TarFormatError('a header checksum does not match');
      const type = String.fromCharCode(header[156] as number);
      let size = readOctal(header, 124, 12);
      if (type === 'x' || type === 'g') {
        if (size > 1024 * 1024) throw new TarFormatError('a pax header is too large');
        remaining = size;
        skipPadding = padding(size).length;
        paxBody = size === 0 ? null : [];
        paxGlobal = type === 'g';
        continue;
      }
      const prefix = readString(header, 345, 155);
      let name = readString(header, 0, 100);
      if (prefix !== '') name = `${prefix}/${name}`;
      if (pax.path !== undefined) name = pax.path;
      if (pax.size !== undefined) size = Number(pax.size);
      pax = {};
      if (type === '5') continue; // a directory: files carry their full paths
      if (type !== '0' && type !== '\0')
        throw new TarFormatError(`${name} is not a regular file (type ${JSON.stringify(type)})`);
      if (!Number.isSafeInteger(size) || size < 0)
        throw new TarFormatError(`${name} has an invalid size`);
      yield { kind: 'file', name, size };
      remaining = size;
      skipPadding = padding(size).length;
    }
  }
  if (remaining > 0 || skipPadding > 0 || (buffered.length > 0 && !ended))
    throw new TarFormatError('the archive ends inside an entry');
}

function parsePax(body: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(0x20, offset);
    if (space === -1) throw new TarFormatError('a pax header is malformed');
    const length = Number(body.toString('ascii', offset, space));
    if (!Number.isInteger(length) || length <= 0 || offset + length > body.length)
      throw new TarFormatError('a pax header is malformed');
    const record = body.toString('utf8', space + 1, offset + length - 1);
    const eq = record.indexOf('=');
    if (eq === -1) throw new TarFormatError('a pax header is malformed');
    records[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return records;
}
