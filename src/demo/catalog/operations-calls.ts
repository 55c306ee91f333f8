/**
 * Calls of the services teams operate with: CloudTrail, Config, GuardDuty, Security Hub, IAM
 * Access Analyzer, CloudFormation, CloudWatch and its Logs, Systems Manager, EventBridge, Step
 * Functions, SNS, SQS, Route 53, CloudFront, Cost Explorer, Health, tagging, Service Quotas
 * and API Gateway.
 *
 * Route 53's ChangeResourceRecordSets carries `changeBatch.changes[].resourceRecordSet` as the
 * service logs it (seed 003 queries it with json_extract_scalar).
 */
import { defineCalls, request, type ApiCall, type CallContext, type CallShape } from './api-call.js';
import { availabilityZoneId, dayOf, logGroupArn, queueUrl } from './resource-names.js';
import type { HostedZone } from '../inventory.js';
import { formatResponseDate, quote } from '../record-writer.js';

/** The organization trail's ARN, as CloudTrail calls name a trail. */
const trailArn = (c: CallContext, name = c.org.trailName): string =>
  `arn:aws:cloudtrail:${c.org.trailHomeRegion}:${c.org.accounts[0]!.id}:trail/${name}`;

export const CLOUDTRAIL_CALLS: ApiCall[] = defineCalls('cloudtrail', [
  { name: 'DescribeTrails', shape: () => request('{"trailNameList":[],"includeShadowTrails":true}') },
  { name: 'ListTrails' },
  { name: 'GetTrail', shape: (c) => request(`{"name":"${trailArn(c)}"}`) },
  { name: 'GetTrailStatus', shape: (c) => request(`{"name":"${trailArn(c)}"}`) },
  { name: 'GetEventSelectors', shape: (c) => request(`{"trailName":"${trailArn(c)}"}`) },
  {
    name: 'GetInsightSelectors',
    shape: (c) => request(`{"trailName":"${trailArn(c)}"}`),
    notFound: ['InsightNotEnabledException', 'Trail does not have Insights enabled.'],
  },
  {
    name: 'LookupEvents',
    shape: (c) =>
      request(
        `{"maxResults":50,"lookupAttributes":[{"attributeKey":"EventName","attributeValue":"${c.rng.pick(['ConsoleLogin', 'RunInstances', 'AssumeRole', 'DeleteBucket', 'PutBucketPolicy'])}"}],"startTime":"${formatResponseDate(c.time - 86_400_000)}","endTime":"${formatResponseDate(c.time)}"}`,
      ),
  },
  { name: 'StopLogging', read: false, shape: (c) => request(`{"name":"${trailArn(c)}"}`) },
  { name: 'DeleteTrail', read: false, shape: (c) => request(`{"name":"${trailArn(c)}"}`) },
]);

const configRule = (c: CallContext): string =>
  c.rng.pick([
    's3-bucket-public-read-prohibited',
    'restricted-ssh',
    'iam-user-mfa-enabled',
    'encrypted-volumes',
    'cloudtrail-enabled',
    'root-account-mfa-enabled',
    'vpc-sg-open-only-to-authorized-ports',
  ]);

export const CONFIG_CALLS: ApiCall[] = defineCalls('config', [
  { name: 'DescribeConfigRules', shape: () => request('{"configRuleNames":[]}') },
  { name: 'DescribeConfigurationRecorders' },
  { name: 'DescribeConfigurationRecorderStatus' },
  { name: 'DescribeDeliveryChannels' },
  { name: 'DescribeComplianceByConfigRule', shape: (c) => request(`{"configRuleNames":["${configRule(c)}"]}`) },
  {
    name: 'GetComplianceDetailsByConfigRule',
    shape: (c) => request(`{"configRuleName":"${configRule(c)}","complianceTypes":["NON_COMPLIANT"],"limit":100}`),
  },
  {
    name: 'PutEvaluations',
    shape: (c) =>
      request(
        `{"evaluations":[{"complianceResourceType":"AWS::EC2::SecurityGroup","complianceResourceId":"${c.rng.pick(c.regional.securityGroups).id}","complianceType":"COMPLIANT","orderingTimestamp":"${formatResponseDate(c.time)}"}],"resultToken":"HIDDEN_DUE_TO_SECURITY_REASONS","testMode":false}`,
      ),
  },
]);

const detectorId = (c: CallContext): string => `${c.account.id.slice(0, 6)}${c.region.length}a0${c.account.id.slice(6)}${'b'.repeat(14)}`;

export const GUARDDUTY_CALLS: ApiCall[] = defineCalls('guardduty', [
  { name: 'ListDetectors' },
  { name: 'GetDetector', shape: (c) => request(`{"detectorId":"${detectorId(c)}"}`) },
  {
    name: 'ListFindings',
    shape: (c) =>
      request(
        `{"detectorId":"${detectorId(c)}","findingCriteria":{"criterion":{"service.archived":{"eq":["false"]},"severity":{"gte":4}}},"sortCriteria":{"attributeName":"updatedAt","orderBy":"DESC"},"maxResults":50}`,
      ),
  },
  { name: 'GetFindings', shape: (c) => request(`{"detectorId":"${detectorId(c)}","findingIds":["${c.rng.hex(32)}"]}`) },
  {
    name: 'GetFindingsStatistics',
    shape: (c) => request(`{"detectorId":"${detectorId(c)}","findingStatisticTypes":["COUNT_BY_SEVERITY"]}`),
  },
  { name: 'ArchiveFindings', shape: (c) => request(`{"detectorId":"${detectorId(c)}","findingIds":["${c.rng.hex(32)}"]}`) },
]);

export const SECURITYHUB_CALLS: ApiCall[] = defineCalls('securityhub', [
  { name: 'DescribeHub' },
  { name: 'GetEnabledStandards' },
  {
    name: 'GetFindings',
    shape: () =>
      request(
        '{"filters":{"RecordState":[{"value":"ACTIVE","comparison":"EQUALS"}],"WorkflowStatus":[{"value":"NEW","comparison":"EQUALS"}],"SeverityLabel":[{"value":"HIGH","comparison":"EQUALS"}]},"maxResults":100}',
      ),
  },
  {
    name: 'BatchUpdateFindings',
    shape: (c) =>
      request(
        `{"findingIdentifiers":[{"id":"arn:aws:securityhub:${c.region}:${c.account.id}:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/${c.rng.uuid()}","productArn":"arn:aws:securityhub:${c.region}::product/aws/securityhub"}],"workflow":{"status":"SUPPRESSED"}}`,
      ),
  },
  {
    name: 'DescribeStandardsControls',
    shape: (c) =>
      request(
        `{"standardsSubscriptionArn":"arn:aws:securityhub:${c.region}:${c.account.id}:subscription/aws-foundational-security-best-practices/v/1.0.0"}`,
      ),
  },
]);

const analyzerArn = (c: CallContext): string => `arn:aws:access-analyzer:${c.region}:${c.account.id}:analyzer/org-analyzer`;

export const ACCESS_ANALYZER_CALLS: ApiCall[] = defineCalls('access-analyzer', [
  { name: 'ListAnalyzers', shape: () => request('{"type":"ORGANIZATION"}') },
  { name: 'ListFindings', shape: (c) => request(`{"analyzerArn":"${analyzerArn(c)}","filter":{"status":{"eq":["ACTIVE"]}}}`) },
  { name: 'GetFinding', shape: (c) => request(`{"analyzerArn":"${analyzerArn(c)}","id":"${c.rng.uuid()}"}`) },
]);

const stack = (c: CallContext): string => c.rng.pick(c.regional.stacks);
const stackId = (c: CallContext, name: string): string =>
  `arn:aws:cloudformation:${c.region}:${c.account.id}:stack/${name}/${c.rng.uuid()}`;

export const CLOUDFORMATION_CALLS: ApiCall[] = defineCalls('cloudformation', [
  { name: 'DescribeStacks', shape: (c) => request(c.rng.chance(0.6) ? `{"stackName":"${stack(c)}"}` : 'null') },
  {
    name: 'ListStacks',
    shape: () => request('{"stackStatusFilter":["CREATE_COMPLETE","UPDATE_COMPLETE","UPDATE_ROLLBACK_COMPLETE","ROLLBACK_COMPLETE"]}'),
  },
  { name: 'DescribeStackEvents', shape: (c) => request(`{"stackName":"${stack(c)}"}`) },
  { name: 'DescribeStackResources', shape: (c) => request(`{"stackName":"${stack(c)}"}`) },
  { name: 'ListStackResources', shape: (c) => request(`{"stackName":"${stack(c)}"}`) },
  { name: 'GetTemplate', shape: (c) => request(`{"stackName":"${stack(c)}","templateStage":"Original"}`) },
  { name: 'GetTemplateSummary', shape: (c) => request(`{"stackName":"${stack(c)}"}`) },
  { name: 'ValidateTemplate', shape: () => request('{"templateURL":"https://s3.amazonaws.com/cdk-assets/template.json"}') },
  { name: 'ListExports' },
  { name: 'DescribeChangeSet', shape: (c) => request(`{"changeSetName":"cdk-deploy-change-set","stackName":"${stack(c)}"}`) },
  {
    name: 'CreateChangeSet',
    shape: (c): CallShape => {
      const name = stack(c);
      const id = stackId(c, name);
      return {
        request: `{"stackName":"${name}","templateURL":"https://s3.${c.region}.amazonaws.com/cdk-hnb659fds-assets-${c.account.id}-${c.region}/${c.rng.hex(64)}.json","parameters":[{"parameterKey":"BootstrapVersion","parameterValue":"/cdk-bootstrap/hnb659fds/version"}],"capabilities":["CAPABILITY_IAM","CAPABILITY_NAMED_IAM","CAPABILITY_AUTO_EXPAND"],"roleARN":"arn:aws:iam::${c.account.id}:role/cdk-hnb659fds-cfn-exec-role","changeSetName":"cdk-deploy-change-set","changeSetType":"UPDATE"}`,
        response: `{"id":"arn:aws:cloudformation:${c.region}:${c.account.id}:changeSet/cdk-deploy-change-set/${c.rng.uuid()}","stackId":"${id}"}`,
      };
    },
  },
  { name: 'ExecuteChangeSet', shape: (c) => request(`{"changeSetName":"cdk-deploy-change-set","stackName":"${stack(c)}"}`) },
  { name: 'DeleteChangeSet', shape: (c) => request(`{"changeSetName":"cdk-deploy-change-set","stackName":"${stack(c)}"}`) },
  {
    name: 'UpdateStack',
    shape: (c) => ({
      request: `{"stackName":"${stack(c)}","usePreviousTemplate":true,"capabilities":["CAPABILITY_IAM"]}`,
      response: `{"stackId":"${stackId(c, stack(c))}"}`,
    }),
  },
]);

const logGroup = (c: CallContext): string => c.rng.pick(c.regional.logGroups);
const FILTERS = ['ERROR', '?ERROR ?Exception', '"Task timed out"', '{ $.level = "error" }', 'timeout'];

export const LOGS_CALLS: ApiCall[] = defineCalls('logs', [
  {
    name: 'DescribeLogGroups',
    shape: (c) =>
      request(c.rng.chance(0.5) ? `{"logGroupNamePrefix":"${logGroup(c).split('/').slice(0, 3).join('/')}","limit":50}` : '{"limit":50}'),
  },
  {
    name: 'DescribeLogStreams',
    shape: (c) => request(`{"logGroupName":"${logGroup(c)}","orderBy":"LastEventTime","descending":true,"limit":50}`),
  },
  {
    name: 'FilterLogEvents',
    shape: (c) =>
      request(
        `{"logGroupName":"${logGroup(c)}","startTime":${c.time - 3_600_000},"endTime":${c.time},"filterPattern":${quote(c.rng.pick(FILTERS))},"interleaved":true}`,
      ),
  },
  {
    name: 'GetLogEvents',
    shape: (c) =>
      request(
        `{"logGroupName":"${logGroup(c)}","logStreamName":"${dayOf(c.time).replace(/-/g, '/')}/[$LATEST]${c.rng.hex(32)}","startFromHead":false}`,
      ),
  },
  {
    name: 'StartQuery',
    read: true,
    shape: (c) => ({
      request: `{"logGroupNames":["${logGroup(c)}"],"startTime":${Math.floor(c.time / 1000) - 3600},"endTime":${Math.floor(c.time / 1000)},"queryString":"fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 20"}`,
      response: `{"queryId":"${c.rng.uuid()}"}`,
    }),
  },
  { name: 'GetQueryResults', shape: (c) => request(`{"queryId":"${c.rng.uuid()}"}`) },
  { name: 'DescribeMetricFilters', shape: (c) => request(`{"logGroupName":"${logGroup(c)}"}`) },
  { name: 'DescribeSubscriptionFilters', shape: (c) => request(`{"logGroupName":"${logGroup(c)}"}`) },
  { name: 'ListTagsForResource', shape: (c) => request(`{"resourceArn":"${logGroupArn(c.region, c.account.id, logGroup(c))}"}`) },
  {
    name: 'CreateLogStream',
    shape: (c) =>
      request(`{"logGroupName":"${logGroup(c)}","logStreamName":"${dayOf(c.time).replace(/-/g, '/')}/[$LATEST]${c.rng.hex(32)}"}`),
  },
  {
    name: 'CreateLogGroup',
    shape: (c) => request(`{"logGroupName":"${logGroup(c)}"}`),
    notFound: ['ResourceAlreadyExistsException', 'The specified log group already exists'],
  },
  {
    name: 'PutRetentionPolicy',
    shape: (c) => request(`{"logGroupName":"${logGroup(c)}","retentionInDays":${c.rng.pick([14, 30, 90, 365])}}`),
  },
]);

const alarm = (c: CallContext): string => c.rng.pick(c.regional.alarms);

export const MONITORING_CALLS: ApiCall[] = defineCalls('monitoring', [
  {
    name: 'DescribeAlarms',
    shape: (c) => request(c.rng.chance(0.5) ? `{"alarmNames":["${alarm(c)}"]}` : '{"stateValue":"ALARM","maxRecords":100}'),
  },
  { name: 'DescribeAlarmHistory', shape: (c) => request(`{"alarmName":"${alarm(c)}","historyItemType":"StateUpdate","maxRecords":50}`) },
  { name: 'DescribeAlarmsForMetric', shape: () => request('{"metricName":"CPUUtilization","namespace":"AWS/ECS"}') },
  {
    name: 'GetMetricData',
    shape: (c) =>
      request(
        `{"metricDataQueries":[{"id":"m1","metricStat":{"metric":{"namespace":"AWS/ApplicationELB","metricName":"HTTPCode_Target_5XX_Count","dimensions":[{"name":"LoadBalancer","value":"app/api-alb"}]},"period":60,"stat":"Sum"},"returnData":true}],"startTime":"${formatResponseDate(c.time - 10_800_000)}","endTime":"${formatResponseDate(c.time)}"}`,
      ),
  },
  {
    name: 'GetMetricStatistics',
    shape: (c) =>
      request(
        `{"namespace":"AWS/Lambda","metricName":"Errors","startTime":"${formatResponseDate(c.time - 3_600_000)}","endTime":"${formatResponseDate(c.time)}","period":300,"statistics":["Sum"]}`,
      ),
  },
  { name: 'ListMetrics', shape: () => request('{"namespace":"AWS/EC2","metricName":"CPUUtilization"}') },
  { name: 'ListDashboards' },
  { name: 'GetDashboard', shape: (c) => request(`{"dashboardName":"${c.account.alias}-overview"}`) },
  {
    name: 'PutMetricAlarm',
    shape: (c) =>
      request(
        `{"alarmName":"${alarm(c)}","metricName":"5XXError","namespace":"AWS/ApiGateway","statistic":"Sum","period":60,"evaluationPeriods":5,"threshold":10.0,"comparisonOperator":"GreaterThanThreshold","treatMissingData":"notBreaching","actionsEnabled":true}`,
      ),
  },
]);

const parameter = (c: CallContext): string => c.rng.pick(c.regional.parameters);
const instanceId = (c: CallContext): string =>
  c.regional.instances.length > 0 ? c.rng.pick(c.regional.instances).id : `i-0${c.rng.hex(16)}`;

export const SSM_CALLS: ApiCall[] = defineCalls('ssm', [
  { name: 'GetParameter', shape: (c) => request(`{"name":"${parameter(c)}","withDecryption":true}`), notFound: ['ParameterNotFound', ''] },
  { name: 'GetParameters', shape: (c) => request(`{"names":["${parameter(c)}","${parameter(c)}"],"withDecryption":true}`) },
  {
    name: 'GetParametersByPath',
    shape: (c) => request(`{"path":"${parameter(c).split('/').slice(0, 3).join('/')}","recursive":true,"withDecryption":true}`),
  },
  { name: 'DescribeParameters', shape: () => request('{"maxResults":50}') },
  {
    name: 'PutParameter',
    shape: (c) => ({
      request: `{"name":"${parameter(c)}","type":"String","overwrite":true}`,
      response: `{"version":${c.rng.between(2, 40)},"tier":"Standard"}`,
    }),
  },
  {
    name: 'UpdateInstanceInformation',
    read: false,
    shape: (c) => {
      // The agent reports its own instance: the session the instance profile gives it is named after it.
      const self = c.callerArn.slice(c.callerArn.lastIndexOf('/') + 1);
      const instance =
        c.regional.instances.find((i) => i.id === self) ?? (c.regional.instances.length > 0 ? c.rng.pick(c.regional.instances) : undefined);
      const ip = instance?.privateIp ?? '10.0.0.10';
      return request(
        `{"instanceId":"${instance?.id ?? instanceId(c)}","agentVersion":"3.3.987.0","agentStatus":"Active","platformType":"Linux","platformName":"Amazon Linux","platformVersion":"2023","iPAddress":"${ip}","computerName":"ip-${ip.replace(/\./g, '-')}.${c.region === 'us-east-1' ? 'ec2.internal' : `${c.region}.compute.internal`}","agentName":"amazon-ssm-agent","availabilityZone":"${c.region}a","availabilityZoneId":"${availabilityZoneId(c.region)}"}`,
      );
    },
  },
  { name: 'ListInstanceAssociations', shape: (c) => request(`{"instanceId":"${instanceId(c)}","maxResults":20}`) },
  { name: 'DescribeInstanceInformation', shape: () => request('{"maxResults":50}') },
  {
    name: 'StartSession',
    read: false,
    shape: (c) => {
      const target = instanceId(c);
      const sessionId = `${c.callerUserName ?? 'session'}-${c.rng.hex(17)}`;
      return {
        request: `{"target":"${target}"}`,
        response: `{"sessionId":"${sessionId}","tokenValue":"Value hidden due to security reasons.","streamUrl":"wss://ssmmessages.${c.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=AAEAAQ"}`,
      };
    },
  },
  {
    name: 'SendCommand',
    shape: (c) =>
      request(
        `{"instanceIds":["${instanceId(c)}"],"documentName":"AWS-RunShellScript","parameters":"HIDDEN_DUE_TO_SECURITY_REASONS","interactive":false}`,
      ),
  },
  { name: 'ListCommandInvocations', shape: (c) => request(`{"commandId":"${c.rng.uuid()}","details":true}`) },
]);

export const EVENTS_CALLS: ApiCall[] = defineCalls('events', [
  { name: 'ListRules', shape: () => request('{"limit":100}') },
  { name: 'DescribeRule', shape: (c) => request(`{"name":"${c.account.alias}-nightly-export"}`) },
  { name: 'ListTargetsByRule', shape: (c) => request(`{"rule":"${c.account.alias}-nightly-export"}`) },
  { name: 'DescribeEventBus', shape: () => request('{"name":"default"}') },
  {
    name: 'PutRule',
    shape: (c) => request(`{"name":"${c.account.alias}-nightly-export","scheduleExpression":"cron(0 3 * * ? *)","state":"ENABLED"}`),
  },
  {
    name: 'PutTargets',
    shape: (c) =>
      request(`{"rule":"${c.account.alias}-nightly-export","targets":[{"id":"1","arn":"${c.rng.pick(c.regional.stateMachines)}"}]}`),
  },
]);

const stateMachine = (c: CallContext): string => c.rng.pick(c.regional.stateMachines);

export const STATES_CALLS: ApiCall[] = defineCalls('states', [
  { name: 'ListStateMachines' },
  { name: 'DescribeStateMachine', shape: (c) => request(`{"stateMachineArn":"${stateMachine(c)}"}`) },
  { name: 'ListExecutions', shape: (c) => request(`{"stateMachineArn":"${stateMachine(c)}","statusFilter":"FAILED","maxResults":50}`) },
  {
    name: 'DescribeExecution',
    shape: (c) => request(`{"executionArn":"${stateMachine(c).replace(':stateMachine:', ':execution:')}:${c.rng.uuid()}"}`),
  },
  {
    name: 'StartExecution',
    shape: (c) => {
      const sm = stateMachine(c);
      const name = c.rng.uuid();
      return {
        request: `{"stateMachineArn":"${sm}","name":"${name}","input":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
        response: `{"executionArn":"${sm.replace(':stateMachine:', ':execution:')}:${name}","startDate":"${formatResponseDate(c.time)}"}`,
      };
    },
  },
]);

const topic = (c: CallContext): string => c.rng.pick(c.regional.topics);

export const SNS_CALLS: ApiCall[] = defineCalls('sns', [
  { name: 'ListTopics' },
  { name: 'GetTopicAttributes', shape: (c) => request(`{"topicArn":"${topic(c)}"}`) },
  { name: 'ListSubscriptionsByTopic', shape: (c) => request(`{"topicArn":"${topic(c)}"}`) },
  {
    name: 'SetTopicAttributes',
    shape: (c) => request(`{"topicArn":"${topic(c)}","attributeName":"DisplayName","attributeValue":"alerts"}`),
  },
  {
    name: 'Subscribe',
    shape: (c) => request(`{"topicArn":"${topic(c)}","protocol":"email","endpoint":"oncall@${c.org.domain}","returnSubscriptionArn":true}`),
  },
]);

const queue = (c: CallContext): string => queueUrl(c.region, c.account.id, c.rng.pick(c.regional.queues));

export const SQS_CALLS: ApiCall[] = defineCalls('sqs', [
  {
    name: 'ListQueues',
    shape: (c) => request(c.rng.chance(0.5) ? `{"queueNamePrefix":"${c.regional.queues[0]!.split('-')[0]}"}` : 'null'),
  },
  { name: 'GetQueueAttributes', shape: (c) => request(`{"queueUrl":"${queue(c)}","attributeNames":["All"]}`) },
  { name: 'GetQueueUrl', shape: (c) => request(`{"queueName":"${c.rng.pick(c.regional.queues)}"}`) },
  { name: 'ListQueueTags', shape: (c) => request(`{"queueUrl":"${queue(c)}"}`) },
  { name: 'SetQueueAttributes', shape: (c) => request(`{"queueUrl":"${queue(c)}","attributes":{"VisibilityTimeout":"120"}}`) },
  { name: 'PurgeQueue', shape: (c) => request(`{"queueUrl":"${queue(c)}"}`) },
]);

/** ChangeResourceRecordSets as Route 53 logs it: one change, its record set and a PENDING change id. */
export function changeRecordShape(
  c: CallContext,
  zone: HostedZone,
  action: 'CREATE' | 'UPSERT' | 'DELETE',
  recordSet: string,
  comment?: string,
): CallShape {
  return {
    request: `{"hostedZoneId":"${zone.id}","changeBatch":{"changes":[{"action":"${action}","resourceRecordSet":${recordSet}}]${comment ? `,"comment":${quote(comment)}` : ''}}}`,
    response: `{"changeInfo":{"id":"/change/C0${c.rng.upperAlnum(19)}","status":"PENDING","submittedAt":"${formatResponseDate(c.time)}"${comment ? `,"comment":${quote(comment)}` : ''}}}`,
  };
}

function changeRecords(c: CallContext): CallShape {
  const zones = c.inventory.hostedZones;
  const zone = zones.length > 0 ? c.rng.pick(zones) : { id: 'Z0000000000000', name: `${c.org.domain}.`, private: false };
  const domain = zone.name;
  const pick = c.rng.int(5);
  if (pick === 0 && !zone.private) {
    const target = `d${c.rng.lowerAlnum(13)}.cloudfront.net.`;
    return changeRecordShape(
      c,
      zone,
      'CREATE',
      `{"name":"www.${domain}","type":"A","aliasTarget":{"hostedZoneId":"Z2FDTNDATAQYW2","dNSName":"${target}","evaluateTargetHealth":false}}`,
      'website on CloudFront',
    );
  }
  if (pick === 1) {
    return changeRecordShape(
      c,
      zone,
      'UPSERT',
      `{"name":"_${c.rng.hex(32)}.${domain}","type":"CNAME","tTL":300,"resourceRecords":[{"value":"_${c.rng.hex(32)}.mhbtsbpdnt.acm-validations.aws."}]}`,
    );
  }
  if (pick === 2) {
    return changeRecordShape(
      c,
      zone,
      'UPSERT',
      `{"name":"_acme-challenge.${domain}","type":"TXT","tTL":60,"resourceRecords":[{"value":"\\"${c.rng.mixedAlnum(43)}\\""}]}`,
    );
  }
  const name = `${c.rng.pick(['api', 'status', 'app', 'admin', 'grafana', 'db'])}.${domain}`;
  const ip = `10.${c.rng.between(0, 3)}.${c.rng.between(0, 255)}.${c.rng.between(4, 254)}`;
  return changeRecordShape(
    c,
    zone,
    c.rng.chance(0.8) ? 'UPSERT' : 'DELETE',
    `{"name":"${name}","type":"A","tTL":300,"resourceRecords":[{"value":"${ip}"}]}`,
  );
}

const zone = (c: CallContext): string => (c.inventory.hostedZones.length > 0 ? c.rng.pick(c.inventory.hostedZones).id : 'Z0000000000000');

export const ROUTE53_CALLS: ApiCall[] = defineCalls('route53', [
  { name: 'ListHostedZones', global: true },
  { name: 'GetHostedZone', global: true, shape: (c) => request(`{"id":"${zone(c)}"}`) },
  { name: 'GetHostedZoneCount', global: true },
  { name: 'ListResourceRecordSets', global: true, shape: (c) => request(`{"hostedZoneId":"${zone(c)}","maxItems":"300"}`) },
  { name: 'ListHealthChecks', global: true },
  { name: 'ListTagsForResource', global: true, shape: (c) => request(`{"resourceType":"hostedzone","resourceId":"${zone(c)}"}`) },
  { name: 'GetChange', global: true, shape: (c) => request(`{"id":"C0${c.rng.upperAlnum(19)}"}`) },
  { name: 'ChangeResourceRecordSets', global: true, shape: changeRecords },
]);

const distribution = (c: CallContext): string =>
  c.inventory.distributions.length > 0 ? c.rng.pick(c.inventory.distributions) : 'E0000000000000';

export const CLOUDFRONT_CALLS: ApiCall[] = defineCalls('cloudfront', [
  { name: 'ListDistributions', global: true },
  { name: 'GetDistribution', global: true, shape: (c) => request(`{"id":"${distribution(c)}"}`) },
  { name: 'GetDistributionConfig', global: true, shape: (c) => request(`{"id":"${distribution(c)}"}`) },
  { name: 'ListInvalidations', global: true, shape: (c) => request(`{"distributionId":"${distribution(c)}"}`) },
  {
    name: 'CreateInvalidation',
    global: true,
    shape: (c) => {
      const id = `I${c.rng.upperAlnum(13)}`;
      return {
        request: `{"distributionId":"${distribution(c)}","invalidationBatch":{"paths":{"quantity":1,"items":["/*"]},"callerReference":"${c.rng.hex(12)}"}}`,
        response: `{"location":"https://cloudfront.amazonaws.com/2020-05-31/distribution/${distribution(c)}/invalidation/${id}","invalidation":{"id":"${id}","status":"InProgress","createTime":"${formatResponseDate(c.time)}"}}`,
      };
    },
  },
]);

export const CE_CALLS: ApiCall[] = defineCalls('ce', [
  {
    name: 'GetCostAndUsage',
    global: true,
    shape: (c) =>
      request(
        `{"timePeriod":{"start":"${dayOf(c.time - 30 * 86_400_000)}","end":"${dayOf(c.time)}"},"granularity":"DAILY","metrics":["UnblendedCost"],"groupBy":[{"type":"DIMENSION","key":"SERVICE"}]}`,
      ),
  },
  {
    name: 'GetCostForecast',
    global: true,
    shape: (c) =>
      request(
        `{"timePeriod":{"start":"${dayOf(c.time)}","end":"${dayOf(c.time + 20 * 86_400_000)}"},"metric":"UNBLENDED_COST","granularity":"MONTHLY"}`,
      ),
  },
  {
    name: 'GetDimensionValues',
    global: true,
    shape: (c) =>
      request(`{"timePeriod":{"start":"${dayOf(c.time - 30 * 86_400_000)}","end":"${dayOf(c.time)}"},"dimension":"LINKED_ACCOUNT"}`),
  },
  {
    name: 'GetAnomalies',
    global: true,
    shape: (c) => request(`{"dateInterval":{"startDate":"${dayOf(c.time - 7 * 86_400_000)}"},"maxResults":50}`),
  },
  {
    name: 'GetSavingsPlansCoverage',
    global: true,
    shape: (c) => request(`{"timePeriod":{"start":"${dayOf(c.time - 30 * 86_400_000)}","end":"${dayOf(c.time)}"},"granularity":"MONTHLY"}`),
  },
]);

export const HEALTH_CALLS: ApiCall[] = defineCalls('health', [
  { name: 'DescribeEvents', global: true, shape: () => request('{"filter":{"eventStatusCodes":["open","upcoming"]},"maxResults":100}') },
  {
    name: 'DescribeEventAggregates',
    global: true,
    shape: () => request('{"aggregateField":"eventTypeCategory","filter":{"eventStatusCodes":["open","upcoming"]}}'),
  },
]);

export const TAGGING_CALLS: ApiCall[] = defineCalls('tagging', [
  { name: 'GetResources', shape: () => request('{"tagFilters":[{"key":"Environment"}],"resourcesPerPage":100}') },
  { name: 'GetTagKeys' },
  { name: 'GetTagValues', shape: () => request('{"key":"CostCenter"}') },
  {
    name: 'TagResources',
    shape: (c) => request(`{"resourceARNList":["${c.rng.pick(c.regional.topics)}"],"tags":{"CostCenter":"cc-1042"}}`),
  },
]);

export const SERVICEQUOTAS_CALLS: ApiCall[] = defineCalls('servicequotas', [
  { name: 'ListServiceQuotas', shape: (c) => request(`{"serviceCode":"${c.rng.pick(['ec2', 'lambda', 'vpc', 'ecs'])}"}`) },
  { name: 'GetServiceQuota', shape: () => request('{"serviceCode":"ec2","quotaCode":"L-1216C47A"}') },
]);

const restApiId = (c: CallContext): string => `${c.account.id.slice(-4)}${c.region.length}x${c.account.id.slice(0, 4)}`;

export const APIGATEWAY_CALLS: ApiCall[] = defineCalls('apigateway', [
  { name: 'GetRestApis', shape: () => request('{"limit":500}') },
  { name: 'GetStages', shape: (c) => request(`{"restApiId":"${restApiId(c)}"}`) },
  { name: 'GetResources', shape: (c) => request(`{"restApiId":"${restApiId(c)}","limit":500}`) },
  { name: 'GetDeployments', shape: (c) => request(`{"restApiId":"${restApiId(c)}","limit":25}`) },
  {
    name: 'CreateDeployment',
    shape: (c) => request(`{"restApiId":"${restApiId(c)}","stageName":"prod","description":"deploy ${c.rng.hex(7)}"}`),
  },
]);
