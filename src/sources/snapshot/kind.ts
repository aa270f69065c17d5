/** What marks a JSON document as a Warden inventory snapshot, and its format version. */
export const SNAPSHOT_KIND = 'warden-inventory';
export const SNAPSHOT_VERSION = 1;
