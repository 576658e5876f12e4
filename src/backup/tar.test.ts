import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveWriter } from './archive.ts';
import { readTar, TarFormatError, type TarEvent } from './tar.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-tar-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function entries(file: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer[]>();
  let name = '';
  for await (const event of readTar(fs.createReadStream(file).pipe(createGunzip()))) {
    if (event.kind === 'file') found.set((name = event.name), []);
    else if (event.kind === 'data') found.get(name)?.push(Buffer.from(event.chunk));
  }
  return new Map([...found].map(([key, chunks]) => [key, Buffer.concat(chunks)]));
}

async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer;
}

async function collect(input: Buffer): Promise<TarEvent[]> {
  const events: TarEvent[] = [];
  for await (const event of readTar(once(input))) events.push(event);
  return events;
}

describe('tar', () => {
  const files: Array<[string, Buffer]> = [
    ['tamna-backup.json', Buffer.from('{"a":1}\n')],
    ['tables/empty.ndjson', Buffer.alloc(0)],
    [`media/photos/${'긴이름'.repeat(20)}/${'b'.repeat(120)}.jpg`, Buffer.alloc(70_001, 7)],
    ['media/exactly-one-block.bin', Buffer.alloc(512, 1)],
  ];

  it('writes what tar(1) reads, long and Korean paths included, and reads it back', async () => {
    const file = path.join(dir, 'a.tar.gz');
    const writer = new ArchiveWriter(file);
    for (const [name, bytes] of files) await writer.add(name, bytes.length, bytes);
    await writer.finish();
    expect(fs.readdirSync(dir)).toEqual(['a.tar.gz']);

    expect(await entries(file)).toEqual(new Map(files));
    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(files.map(([name]) => name));
    const out = path.join(dir, 'x');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xzf', file, '-C', out]);
    for (const [name, bytes] of files) expect(fs.readFileSync(path.join(out, name))).toEqual(bytes);
  });

  it('refuses a damaged header and an archive that stops inside an entry', async () => {
    const file = path.join(dir, 'b.tar.gz');
    const writer = new ArchiveWriter(file);
    await writer.add('a.txt', 3, Buffer.from('abc'));
    await writer.finish();
    const raw = (await import('node:zlib')).gunzipSync(fs.readFileSync(file));
    const damaged = Buffer.from(raw);
    damaged[10] = 0x41;
    await expect(collect(damaged)).rejects.toThrow(TarFormatError);
    await expect(collect(raw.subarray(0, 514))).rejects.toThrow('the archive ends inside an entry');
    // Without the two zero blocks at the end there is no 'end' event: truncated.
    expect((await collect(raw.subarray(0, 1024))).map((e) => e.kind)).toEqual(['file', 'data']);
    expect((await collect(raw)).map((e) => e.kind)).toEqual(['file', 'data', 'end']);
  });

  it('leaves no half-written archive when a backup is abandoned', async () => {
    const file = path.join(dir, 'c.tar.gz');
    const writer = new ArchiveWriter(file);
    await writer.add('a.txt', 3, Buffer.from('abc'));
    await expect(writer.add('b.txt', 10, Buffer.from('short'))).rejects.toThrow(
      'b.txt changed while it was being archived (5 bytes, not 10).',
    );
    await writer.abort();
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('c.tar.gz'))).toEqual([]);
  });
});
