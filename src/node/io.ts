import fs from 'node:fs'

/**
 * The file calls the log writer makes, as a seam: tests pass node:fs with a failure injected
 * (ENOSPC, EIO, EACCES) to prove the store's behaviour on I/O errors; everything else is
 * the real file system.
 */
export interface DiskIO {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number
  fsyncSync(fd: number): void
  ftruncateSync(fd: number, length: number): void
  write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
    callback: (err: NodeJS.ErrnoException | null, written: number) => void,
  ): void
  fsync(fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void
}

export const nodeIO: DiskIO = fs
