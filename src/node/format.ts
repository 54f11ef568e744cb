/**
 * The on-disk format this code writes (docs/storage-format.md). 2 added MANIFEST, log
 * headers, commit and rotate marks, header CRCs and history in snapshots; format 1
 * directories are read and rewritten as format 2 on open.
 */
export const FORMAT_VERSION = 2
