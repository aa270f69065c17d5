/** A person's decision to accept a finding for a while (`warden suppress`). */
export interface Suppression {
  id: number;
  fingerprint?: string;
  policy?: string;
  /** A resource id or name. */
  resource?: string;
  tag?: { key: string; value: string };
  reason: string;
  owner?: string;
  /** ISO time; absent = until removed. */
  expires?: string;
  createdAt: string;
  createdBy: string;
  expiredAt?: string;
}
