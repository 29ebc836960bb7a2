import * as fs from 'node:fs';

/**
 * Source text encodings: UTF-8 (with or without a BOM), and UTF-16 when the file starts with its byte order mark
 * (Windows editors and PowerShell's `Out-File` write `.env` and config files that way). UTF-16 without a BOM is
 * not guessed: it is reported as binary (NUL bytes), like any other file that is not text.
 */
export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a file's first bytes announce: a UTF-16 byte order mark, else UTF-8. */
export function sniffEncoding(head: Uint8Array): SourceEncoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * Whether a file's first bytes are not text: a NUL character. For UTF-16 the head is decoded first (its ASCII
 * characters carry a zero byte each), so a NUL *character* decides, and a BOM of `FF FE 00 00` (UTF-32) reads as one.
 */
export function looksBinary(head: Uint8Array): boolean {
  const encoding = sniffEncoding(head);
  if (encoding === 'utf-8') return head.includes(0);
  const even = head.subarray(0, head.length - (head.length % 2));
  return new TextDecoder(encoding).decode(even).includes('\0');
}

const decoders: Record<SourceEncoding, TextDecoder> = {
  'utf-8': new TextDecoder('utf-8', { fatal: true }),
  'utf-16le': new TextDecoder('utf-16le', { fatal: true }),
  'utf-16be': new TextDecoder('utf-16be', { fatal: true }),
};

/**
 * Decodes a source file strictly (UTF-8, or UTF-16 after its BOM); the BOM is dropped. Null when the bytes are
 * not valid text in that encoding (invalid UTF-8, an odd number of UTF-16 bytes, an unpaired surrogate).
 */
export function decodeSource(bytes: Uint8Array): { text: string; encoding: SourceEncoding } | null {
  const encoding = sniffEncoding(bytes);
  try {
    const text = decoders[encoding].decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding };
  } catch {
    return null;
  }
}

/** A path that is not a regular file (a FIFO, socket or device put in place after discovery). */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor() {
    super('not a regular file');
  }
}

/** The file grew past the byte limit after discovery measured it. */
export class TooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

// O_NONBLOCK: opening a FIFO never waits for a writer. O_NOFOLLOW: a file swapped for a symlink after discovery
// is not followed out of the root. Both are 0 where the platform lacks them (Windows has neither FIFOs nor the race).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

/** Opens a path for reading only if it is a regular file (checked on the open descriptor, so it cannot change). */
function openRegular(abs: string): { fd: number; size: number } {
  const fd = fs.openSync(abs, OPEN_FLAGS);
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new NotRegularFileError();
    return { fd, size: stats.size };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Reads from `fd` until end of file or `max` bytes, starting with room for `expected` bytes. */
function readUpTo(fd: number, expected: number, max: number): Buffer {
  let buffer = Buffer.alloc(Math.min(expected, max));
  let read = 0;
  for (;;) {
    if (read === buffer.length) {
      if (buffer.length >= max) break;
      const grown = Buffer.alloc(Math.min(max, Math.max(buffer.length * 2, 4096)));
      buffer.copy(grown, 0, 0, read);
      buffer = grown;
    }
    const n = fs.readSync(fd, buffer, read, buffer.length - read, read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/**
 * Reads a whole regular file of at most `limit` bytes without blocking on a special file or following a symlink:
 * the walk already checked what the path was, and this holds even if it changed since. Throws NotRegularFileError,
 * TooLargeError (the file grew past the limit), or the file system's error.
 */
export function readRegularFile(abs: string, limit: number): Buffer {
  const { fd, size } = openRegular(abs);
  try {
    // One byte beyond the limit tells a file that grew since it was measured.
    const bytes = readUpTo(fd, size + 1, limit + 1);
    if (bytes.length > limit) throw new TooLargeError(limit);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The first `bytes` bytes of a regular file (fewer when it is shorter: then the whole file), with the same guards as
 * readRegularFile; the buffer is sized for the file, so a short file's bytes hold no more memory than they need.
 */
export function readRegularHead(abs: string, bytes: number): Buffer {
  const { fd, size } = openRegular(abs);
  try {
    // One byte beyond the size tells a file that grew since it was measured.
    return readUpTo(fd, Math.min(size + 1, bytes), bytes);
  } finally {
    fs.closeSync(fd);
  }
}
