import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { structLeaves } from '../src/cloudtrail/athena-table.js';
import { ingest } from '../src/ingest/ingest.js';
import { openQuerySession, query, relationalizeApi, SqlError } from '../src/sql/query.js';
import { record, writeLogFile, type TestRecord } from './support/log-files.js';

/**
 * Seed 002's relationalize: nested structs as dotted columns (`useridentity.type`) for
 * dashboards, and typed columns for the request and response keys of one API.
 */

let dir = '';
let lake = '';
const records: TestRecord[] = [
  record({ eventTime: '2024-03-09T10:00:00Z', sourceIPAddress: '203.0.113.1', userIdentity: { type: 'IAMUser', userName: 'alice' } }),
  record({ eventTime: '2024-03-09T11:00:00Z', sourceIPAddress: '203.0.113.1', userIdentity: { type: 'IAMUser', userName: 'alice' } }),
  record({
    eventTime: '2024-03-09T12:00:00Z',
    sourceIPAddress: 'ec2.amazonaws.com',
    userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
  }),
  record({
    eventTime: '2024-03-09T13:00:00Z',
    sourceIPAddress: '198.51.100.9',
    userIdentity: {
      type: 'AssumedRole',
      sessionContext: { sessionIssuer: { type: 'Role', userName: 'deployer' }, attributes: { mfaAuthenticated: 'false' } },
    },
    eventName: 'AuthorizeSecurityGroupIngress',
    requestParameters: { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22 }] }, dryRun: false },
    responseElements: { _return: true, securityGroupRuleSet: { items: [] } },
  }),
  record({
    eventTime: '2024-03-09T14:00:00Z',
    sourceIPAddress: '198.51.100.9',
    userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role', userName: 'deployer' } } },
    eventName: 'AuthorizeSecurityGroupIngress',
    requestParameters: { groupId: 'sg-2', ipPermissions: { items: [] }, dryRun: true, count: 3 },
    responseElements: { _return: true },
  }),
];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trailscope-relationalize-'));
  await writeLogFile(join(dir, 'logs'), { date: '2024-03-09', records });
  lake = join(dir, 'lake');
  await ingest({ lake, sources: [join(dir, 'logs')] });
});
after(() => rm(dir, { recursive: true, force: true }));

describe('cloudtrail_flat', () => {
  it('has a column for every leaf of the nested structs, named with dots, and no struct columns', async () => {
    const { columns, types } = await query({ lake }, 'select * from cloudtrail_flat limit 1');
    for (const leaf of structLeaves()) assert.ok(columns.includes(leaf.name), leaf.name);
    assert.ok(columns.includes('useridentity.sessioncontext.sessionissuer.username'));
    assert.ok(!columns.includes('useridentity'));
    assert.ok(!types.some((t) => t.startsWith('STRUCT') && !t.endsWith('[]')), 'no struct left (resources stays an array of structs)');
    assert.ok(columns.includes('resources') && columns.includes('region'));
  });

  it('lets a dashboard count source IPs by useridentity.type', async () => {
    const { rows } = await query(
      { lake },
      `select sourceipaddress, "useridentity.type", count(*) as n from cloudtrail_flat group by 1, 2 order by n desc, sourceipaddress`,
    );
    const expected = new Map<string, number>();
    for (const r of records) {
      const key = JSON.stringify([r.sourceIPAddress, (r.userIdentity as { type: string }).type]);
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    assert.deepEqual(
      rows.map((r) => [JSON.stringify([r.sourceipaddress, r['useridentity.type']]), r.n]),
      [...expected].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    );
    const [issuer] = (
      await query(
        { lake },
        `select "useridentity.sessioncontext.sessionissuer.username" as u from cloudtrail_flat where "useridentity.type" = 'AssumedRole' limit 1`,
      )
    ).rows;
    assert.equal(issuer!.u, 'deployer');
  });

  it('prunes on eventtime like cloudtrail_logs', async () => {
    const result = await query({ lake }, `select count(*) as n from cloudtrail_flat where eventtime >= '2030-01-01'`);
    assert.equal(result.rows[0]!.n, 0);
    assert.equal(result.stats.files.read, 0);
  });
});

describe('relationalizeApi(session, request)', () => {
  it("creates a view of one API's events with a typed column per request and response key", async () => {
    const session = await openQuerySession({ lake });
    try {
      const view = await relationalizeApi(session, { eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress' });
      assert.equal(view.table.name, 'cloudtrail_ec2_authorizesecuritygroupingress');
      assert.equal(view.events, 2);
      assert.deepEqual(
        view.columns.map((c) => [c.name, c.type]),
        [
          ['requestparameters.groupid', 'VARCHAR'],
          ['requestparameters.ippermissions.items', 'JSON'],
          ['requestparameters.dryrun', 'BOOLEAN'],
          ['requestparameters.count', 'BIGINT'],
          ['responseelements._return', 'BOOLEAN'],
          ['responseelements.securitygroupruleset.items', 'JSON'],
        ],
      );
      const [result] = await session.run(
        `select "requestparameters.groupid" as g, "requestparameters.dryrun" as d, "requestparameters.count" as c, "requestparameters.ippermissions.items" as i
         from cloudtrail_ec2_authorizesecuritygroupingress order by g`,
      );
      assert.deepEqual(result!.rows, [
        { g: 'sg-1', d: false, c: null, i: '[{"ipProtocol":"tcp","fromPort":22}]' },
        { g: 'sg-2', d: true, c: 3, i: '[]' },
      ]);
    } finally {
      session.close();
    }
    const later = await query(
      { lake },
      `select "requestparameters.groupid", count(*) as n from cloudtrail_ec2_authorizesecuritygroupingress group by 1 order by 1`,
    );
    assert.deepEqual(later.rows, [
      { 'requestparameters.groupid': 'sg-1', n: 1 },
      { 'requestparameters.groupid': 'sg-2', n: 1 },
    ]);
  });

  it('names the APIs the lake has when it has none of the one asked for', async () => {
    const session = await openQuerySession({ lake });
    try {
      await assert.rejects(relationalizeApi(session, { eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' }), (e: unknown) => {
        assert.ok(e instanceof SqlError);
        assert.equal(e.kind, 'not-found');
        assert.match(
          e.message,
          /^the lake has no ec2\.amazonaws\.com RunInstances events; APIs it has nearby: ec2\.amazonaws\.com DescribeInstances \(3\), ec2\.amazonaws\.com AuthorizeSecurityGroupIngress \(2\)$/,
        );
        return true;
      });
      await assert.rejects(
        relationalizeApi(session, { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', name: 'bad name' }),
        /'bad name' cannot name a view/,
      );
      for (const name of ['cloudtrail_logs', 'CLOUDTRAIL_FLAT']) {
        await assert.rejects(relationalizeApi(session, { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', name }), {
          kind: 'forbidden',
          message: new RegExp(`'${name}' is the name of the lake's own table`),
        });
      }
      assert.equal((await session.run('select count(*) as n from cloudtrail_logs'))[0]!.rows[0]!.n, 5, 'the lake is as it was');
    } finally {
      session.close();
    }
  });
});
