/**
 * The AWS Organization the demo logs come from: its accounts, the regions each uses, and the
 * organization trail that delivers their logs to one bucket.
 *
 * The first account is the management account (IAM Identity Center, Organizations, billing,
 * the trail itself); the second runs production; the third staging; any further accounts are
 * developer sandboxes. With fewer accounts, one account plays several of these parts, so a
 * one-account demo still has every kind of activity and every planted incident.
 */
import { SeededRandom } from './random.js';

export type AccountRole = 'management' | 'production' | 'staging' | 'sandbox';

export interface Account {
  readonly id: string;
  readonly index: number;
  readonly role: AccountRole;
  readonly alias: string;
  /** Where most of the account's workloads run. */
  readonly homeRegion: string;
  /** Regions with workloads, heaviest first, with their share of the account's regional activity. */
  readonly workloadRegions: readonly (readonly [string, number])[];
}

export interface Organization {
  /** `o-` and ten characters, as AWS Organizations names an organization. */
  readonly id: string;
  readonly company: string;
  /** The company's DNS domain (no trailing dot): Route 53 zones and SSO e-mail addresses use it. */
  readonly domain: string;
  readonly accounts: readonly Account[];
  /** Regions enabled in every account: AWS Config and the security scanner visit each of them. */
  readonly enabledRegions: readonly string[];
  /** Where global services (IAM, Route 53, CloudFront, Organizations, sign-in) record their events. */
  readonly globalRegion: 'us-east-1';
  readonly trailName: string;
  readonly trailHomeRegion: string;
  readonly trailBucket: string;
  /** Region of IAM Identity Center: where SSO portal events are recorded. */
  readonly identityCenterRegion: string;
  readonly identityStoreId: string;
}

const COMPANIES: readonly (readonly [string, string])[] = [
  ['AnyCompany', 'anycompany.com'],
  ['Example Corp', 'example-corp.com'],
  ['Octank', 'octank.net'],
  ['Northwind Traders', 'northwind-traders.com'],
];

const ENABLED_REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-northeast-1'] as const;

const WORKLOAD_REGIONS: Record<AccountRole, readonly (readonly [string, number])[]> = {
  management: [['us-east-1', 1]],
  production: [
    ['us-east-1', 0.68],
    ['eu-west-1', 0.27],
    ['us-west-2', 0.05],
  ],
  staging: [
    ['us-east-1', 0.85],
    ['eu-west-1', 0.15],
  ],
  sandbox: [
    ['us-east-1', 0.7],
    ['us-west-2', 0.3],
  ],
};

function roleOf(index: number): AccountRole {
  if (index === 0) return 'management';
  if (index === 1) return 'production';
  if (index === 2) return 'staging';
  return 'sandbox';
}

export function createOrganization(seed: string, accountCount: number): Organization {
  const rng = SeededRandom.from(seed, 'organization');
  const [company, domain] = COMPANIES[rng.int(COMPANIES.length)]!;
  const slug = domain.split('.')[0]!;
  const ids = new Set<string>();
  const accounts: Account[] = [];
  for (let index = 0; index < accountCount; index++) {
    let id: string;
    do id = String(rng.between(1, 9)) + rng.digits(11);
    while (ids.has(id));
    ids.add(id);
    const role = roleOf(index);
    const alias = role === 'sandbox' ? `${slug}-sandbox-${index - 2}` : `${slug}-${role}`;
    const workloadRegions = WORKLOAD_REGIONS[role];
    accounts.push({ id, index, role, alias, homeRegion: workloadRegions[0]![0], workloadRegions });
  }
  return {
    id: `o-${rng.lowerAlnum(10)}`,
    company,
    domain,
    accounts,
    enabledRegions: ENABLED_REGIONS,
    globalRegion: 'us-east-1',
    trailName: `${slug}-org-trail`,
    trailHomeRegion: 'us-east-1',
    trailBucket: `aws-cloudtrail-logs-${accounts[0]!.id}-${rng.lowerAlnum(8)}`,
    identityCenterRegion: 'us-east-1',
    identityStoreId: `d-${rng.digits(4)}${rng.lowerAlnum(6)}`,
  };
}

/**
 * The account that plays a part. With fewer accounts than parts, the last account plays the
 * remaining ones (one account is management and production at once).
 */
export function accountFor(org: Organization, role: AccountRole, sandbox = 0): Account {
  const wanted = role === 'management' ? 0 : role === 'production' ? 1 : role === 'staging' ? 2 : 3 + sandbox;
  return org.accounts[Math.min(wanted, org.accounts.length - 1)]!;
}
