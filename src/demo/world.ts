/**
 * The demo organization as a whole: accounts, people and inventories, all derived from the
 * seed. It is rebuilt identically wherever it is needed (the main thread, each worker), so
 * nothing but the seed and sizes ever crosses a thread boundary.
 */
import { createDirectory, type Directory } from './identities.js';
import { createInventory, type AccountInventory } from './inventory.js';
import { createOrganization, type Organization } from './organization.js';

export interface World {
  readonly seed: string;
  readonly org: Organization;
  readonly directory: Directory;
  /** Inventories by account index. */
  readonly inventories: readonly AccountInventory[];
}

export function createWorld(seed: string, accounts: number): World {
  const org = createOrganization(seed, accounts);
  const directory = createDirectory(org, seed);
  const inventories = org.accounts.map((account) =>
    createInventory(
      org,
      account,
      directory.iamUsers.filter((u) => u.account.id === account.id).map((u) => u.userName),
    ),
  );
  return { seed, org, directory, inventories };
}
