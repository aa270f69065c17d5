import type { Resource } from './resource.js';

/**
 * Read-only lookups over one scan's resources, built once and shared by every policy: by type,
 * by id, and by (account, type) for account-wide checks.
 */
export class InventoryIndex {
  static readonly EMPTY = new InventoryIndex([]);

  private readonly byType = new Map<string, Resource[]>();
  private readonly byId = new Map<string, Resource>();
  private byAccountType: Map<string, Resource[]> | undefined;

  constructor(readonly resources: readonly Resource[]) {
    for (const r of resources) {
      let list = this.byType.get(r.type);
      if (!list) {
        list = [];
        this.byType.set(r.type, list);
      }
      list.push(r);
      this.byId.set(r.id, r);
    }
  }

  ofType(type: string): readonly Resource[] {
    return this.byType.get(type) ?? [];
  }

  get(id: string): Resource | undefined {
    return this.byId.get(id);
  }

  /** Resources of `type` in `account` (all regions), in inventory order. */
  inAccount(account: string, type: string): readonly Resource[] {
    if (!this.byAccountType) {
      // Built on first use: most policy sets never ask an account-wide question.
      this.byAccountType = new Map();
      for (const r of this.resources) {
        const key = `${r.account}\n${r.type}`;
        let list = this.byAccountType.get(key);
        if (!list) {
          list = [];
          this.byAccountType.set(key, list);
        }
        list.push(r);
      }
    }
    return this.byAccountType.get(`${account}\n${type}`) ?? [];
  }
}
