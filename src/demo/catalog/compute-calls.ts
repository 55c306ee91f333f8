/**
 * EC2, Auto Scaling, Elastic Load Balancing, ECS, ECR and Lambda calls.
 *
 * EC2 wraps lists in `{"items":[...]}` and echoes `requestId` in its responseElements; Lambda
 * appends the API version to its event names. Security group ids (`sg-...`) appear in the
 * request text so seed 000's `requestparameters like '%sg-%'` audit finds them.
 */
import { defineCalls, request, type ApiCall, type CallContext } from './api-call.js';
import { availabilityZone, functionArn, roleArn } from './resource-names.js';
import { formatResponseDate } from '../record-writer.js';

const items = (parts: readonly string[]): string => `{"items":[${parts.join(',')}]}`;
const instanceItem = (id: string): string => `{"instanceId":"${id}"}`;

function someInstance(c: CallContext): { id: string; type: string; imageId: string; subnetId: string; privateIp: string } {
  const list = c.regional.instances;
  if (list.length > 0) return c.rng.pick(list);
  return {
    id: `i-0${c.rng.hex(16)}`,
    type: 't3.micro',
    imageId: c.regional.images[0]!,
    subnetId: c.regional.subnets[0]!,
    privateIp: '10.0.0.10',
  };
}

const sg = (c: CallContext): string => c.rng.pick(c.regional.securityGroups).id;

const INTERNAL_RANGES = ['10.0.0.0/16', '10.1.0.0/16', '10.0.32.0/20', '172.31.0.0/16', '10.2.0.0/16'];
const SERVICE_PORTS = [443, 5432, 6379, 8080, 3000, 9090];

/** An ingress rule as teams normally add them: internal ranges or another group, never the internet. */
function internalIngress(c: CallContext): { request: string; response: string } {
  const port = c.rng.pick(SERVICE_PORTS);
  const groupId = sg(c);
  const bySg = c.rng.chance(0.5);
  const source = bySg ? sg(c) : c.rng.pick(INTERNAL_RANGES);
  const perm = bySg
    ? `{"ipProtocol":"tcp","fromPort":${port},"toPort":${port},"groups":{"items":[{"groupId":"${source}"}]},"ipRanges":{},"ipv6Ranges":{},"prefixListIds":{}}`
    : `{"ipProtocol":"tcp","fromPort":${port},"toPort":${port},"groups":{},"ipRanges":{"items":[{"cidrIp":"${source}","description":"internal"}]},"ipv6Ranges":{},"prefixListIds":{}}`;
  const rule = bySg ? `"referencedGroupInfo":{"groupId":"${source}","userId":"${c.account.id}"}` : `"cidrIpv4":"${source}"`;
  return {
    request: `{"groupId":"${groupId}","ipPermissions":${items([perm])}}`,
    response: `{"requestId":"${c.requestId}","_return":true,"securityGroupRuleSet":${items([
      `{"groupOwnerId":"${c.account.id}","groupId":"${groupId}","securityGroupRuleId":"sgr-0${c.rng.hex(16)}","isEgress":false,"ipProtocol":"tcp","fromPort":${port},"toPort":${port},${rule}}`,
    ])}}`,
  };
}

function runInstances(c: CallContext): { request: string; response: string } {
  const template = someInstance(c);
  const id = `i-0${c.rng.hex(16)}`;
  const group = sg(c);
  const ip = `10.${c.rng.between(0, 3)}.${c.rng.between(0, 255)}.${c.rng.between(4, 254)}`;
  const az = availabilityZone(c.region, c.rng);
  return {
    request:
      `{"instancesSet":${items([`{"imageId":"${template.imageId}","minCount":1,"maxCount":1}`])},"instanceType":"${template.type}",` +
      `"blockDeviceMapping":{},"monitoring":{"enabled":false},"disableApiTermination":false,"disableApiStop":false,"clientToken":"${c.rng.uuid()}",` +
      `"networkInterfaceSet":${items([`{"deviceIndex":0,"subnetId":"${template.subnetId}","groupSet":${items([`{"groupId":"${group}"}`])}}`])},` +
      `"iamInstanceProfile":{"name":"ec2-ssm-instance-profile"},"tagSpecificationSet":${items([`{"resourceType":"instance","tags":[{"key":"Name","value":"${c.callerUserName ?? 'ops'}-test"}]}`])}}`,
    response: `{"requestId":"${c.requestId}","reservationId":"r-0${c.rng.hex(16)}","ownerId":"${c.account.id}","groupSet":{},"instancesSet":${items(
      [
        `{"instanceId":"${id}","imageId":"${template.imageId}","currentInstanceBootMode":"legacy-bios","instanceState":{"code":0,"name":"pending"},` +
          `"privateDnsName":"ip-${ip.replace(/\./g, '-')}.ec2.internal","amiLaunchIndex":0,"productCodes":{},"instanceType":"${template.type}",` +
          `"launchTime":${c.time},"placement":{"availabilityZone":"${az}","tenancy":"default"},"monitoring":{"state":"disabled"},` +
          `"subnetId":"${template.subnetId}","vpcId":"${c.regional.vpcs[0]}","privateIpAddress":"${ip}","stateReason":{"code":"pending","message":"pending"},` +
          `"architecture":"x86_64","rootDeviceType":"ebs","rootDeviceName":"/dev/xvda","blockDeviceMapping":{},"virtualizationType":"hvm",` +
          `"groupSet":${items([`{"groupId":"${group}","groupName":"default"}`])},"sourceDestCheck":true,"hypervisor":"xen","ebsOptimized":false,"enaSupport":true}`,
      ],
    )},"requesterId":"","capacityReservationSpecification":{"capacityReservationPreference":"open"}}`,
  };
}

function stateChange(current: [number, string], previous: [number, string]) {
  return (c: CallContext) => {
    const id = someInstance(c).id;
    return {
      request: `{"instancesSet":${items([instanceItem(id)])}${current[1] === 'stopping' ? ',"force":false' : ''}}`,
      response: `{"requestId":"${c.requestId}","instancesSet":${items([
        `{"instanceId":"${id}","currentState":{"code":${current[0]},"name":"${current[1]}"},"previousState":{"code":${previous[0]},"name":"${previous[1]}"}}`,
      ])}}`,
    };
  };
}

const describeInstances = (c: CallContext) =>
  request(
    c.rng.chance(0.4)
      ? `{"instancesSet":${items([instanceItem(someInstance(c).id)])},"filterSet":{}}`
      : `{"maxResults":1000,"instancesSet":{},"filterSet":{}}`,
  );

const describeSecurityGroups = (c: CallContext) =>
  request(
    c.rng.chance(0.5)
      ? `{"securityGroupSet":{},"securityGroupIdSet":${items([`{"groupId":"${sg(c)}"}`])},"filterSet":{}}`
      : `{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":${items([`{"name":"vpc-id","valueSet":${items([`{"value":"${c.regional.vpcs[0]}"}`])}}`])}}`,
  );

const filterByVpc = (setName: string) => (c: CallContext) =>
  request(
    `{"${setName}":{},"filterSet":${items([`{"name":"vpc-id","valueSet":${items([`{"value":"${c.rng.pick(c.regional.vpcs)}"}`])}}`])}}`,
  );

const ok = (c: CallContext) => `{"requestId":"${c.requestId}","_return":true}`;

export const EC2_CALLS: ApiCall[] = defineCalls('ec2', [
  { name: 'DescribeInstances', shape: describeInstances },
  {
    name: 'DescribeInstanceStatus',
    shape: (c) => request(`{"instancesSet":${items([instanceItem(someInstance(c).id)])},"filterSet":{},"includeAllInstances":true}`),
  },
  { name: 'DescribeSecurityGroups', shape: describeSecurityGroups },
  {
    name: 'DescribeSecurityGroupRules',
    shape: (c) =>
      request(
        `{"DescribeSecurityGroupRulesRequest":{"Filter":{"Name":"group-id","Value":{"content":"${sg(c)}","tag":1},"tag":1},"MaxResults":1000}}`,
      ),
  },
  { name: 'DescribeVpcs', shape: () => request('{"vpcSet":{},"filterSet":{}}') },
  { name: 'DescribeSubnets', shape: filterByVpc('subnetSet') },
  { name: 'DescribeRouteTables', shape: filterByVpc('routeTableIdSet') },
  { name: 'DescribeNetworkAcls', shape: filterByVpc('networkAclIdSet') },
  { name: 'DescribeInternetGateways', shape: () => request('{"internetGatewayIdSet":{},"filterSet":{}}') },
  { name: 'DescribeNatGateways', shape: () => request('{"DescribeNatGatewaysRequest":{"MaxResults":1000}}') },
  { name: 'DescribeVpcEndpoints', shape: () => request('{"DescribeVpcEndpointsRequest":{"MaxResults":1000}}') },
  { name: 'DescribeNetworkInterfaces', shape: filterByVpc('networkInterfaceIdSet') },
  {
    name: 'DescribeVolumes',
    shape: (c) => request(`{"volumeSet":${items([`{"volumeId":"${c.rng.pick(c.regional.volumes)}"}`])},"filterSet":{}}`),
  },
  {
    name: 'DescribeSnapshots',
    shape: () => request('{"snapshotSet":{},"ownersSet":{"items":[{"owner":"self"}]},"sharedUsersSet":{},"filterSet":{}}'),
  },
  {
    name: 'DescribeImages',
    shape: (c) =>
      request(
        `{"executableBySet":{},"imagesSet":${items([`{"imageId":"${c.rng.pick(c.regional.images)}"}`])},"ownersSet":{},"filterSet":{}}`,
      ),
  },
  { name: 'DescribeKeyPairs', shape: () => request('{"keySet":{},"filterSet":{}}') },
  { name: 'DescribeAddresses', shape: () => request('{"publicIpsSet":{},"allocationIdsSet":{},"filterSet":{}}') },
  {
    name: 'DescribeAvailabilityZones',
    shape: () => request('{"availabilityZoneSet":{},"availabilityZoneIdSet":{},"allAvailabilityZones":false}'),
  },
  { name: 'DescribeRegions', shape: () => request('{"regionSet":{},"allRegions":false}') },
  {
    name: 'DescribeAccountAttributes',
    shape: () => request('{"accountAttributeNameSet":{"items":[{"attributeName":"supported-platforms"}]},"filterSet":{}}'),
  },
  { name: 'DescribeLaunchTemplates', shape: () => request('{"DescribeLaunchTemplatesRequest":{"MaxResults":100}}') },
  {
    name: 'DescribeLaunchTemplateVersions',
    shape: (c) =>
      request(
        `{"DescribeLaunchTemplateVersionsRequest":{"LaunchTemplateName":"${c.regional.ecsCluster}-lt","LaunchTemplateVersion":{"content":"$Latest","tag":1}}}`,
      ),
  },
  {
    name: 'DescribeInstanceTypes',
    shape: (c) => request(`{"DescribeInstanceTypesRequest":{"InstanceType":{"content":"${someInstance(c).type}","tag":1}}}`),
  },
  {
    name: 'DescribeTags',
    shape: (c) => request(`{"filterSet":${items([`{"name":"resource-id","valueSet":${items([`{"value":"${someInstance(c).id}"}`])}}`])}}`),
  },
  { name: 'DescribePrefixLists', shape: () => request('{"DescribePrefixListsRequest":""}') },
  {
    name: 'DescribeSpotPriceHistory',
    shape: (c) =>
      request(
        `{"instanceTypeSet":${items([`{"instanceType":"${someInstance(c).type}"}`])},"productDescriptionSet":{"items":[{"productDescription":"Linux/UNIX"}]},"filterSet":{}}`,
      ),
  },
  { name: 'DescribeInstanceAttribute', shape: (c) => request(`{"instanceId":"${someInstance(c).id}","attribute":"userData"}`) },
  { name: 'GetConsoleOutput', read: true, shape: (c) => request(`{"instanceId":"${someInstance(c).id}","latest":true}`) },
  { name: 'GetSecurityGroupsForVpc', shape: (c) => request(`{"GetSecurityGroupsForVpcRequest":{"VpcId":"${c.regional.vpcs[0]}"}}`) },
  { name: 'RunInstances', shape: runInstances },
  { name: 'StartInstances', shape: stateChange([0, 'pending'], [80, 'stopped']) },
  { name: 'StopInstances', shape: stateChange([64, 'stopping'], [16, 'running']) },
  { name: 'TerminateInstances', shape: stateChange([32, 'shutting-down'], [16, 'running']) },
  {
    name: 'CreateTags',
    shape: (c) => ({
      request: `{"resourcesSet":${items([`{"resourceId":"${someInstance(c).id}"}`])},"tagSet":${items([`{"key":"${c.rng.pick(['Owner', 'CostCenter', 'Environment', 'Service'])}","value":"${c.rng.pick(['platform', 'data', 'api', 'cc-1042'])}"}`])}}`,
      response: ok(c),
    }),
  },
  {
    name: 'DeleteTags',
    shape: (c) => ({
      request: `{"resourcesSet":${items([`{"resourceId":"${someInstance(c).id}"}`])},"tagSet":${items(['{"key":"Temporary"}'])}}`,
      response: ok(c),
    }),
  },
  {
    name: 'CreateSecurityGroup',
    shape: (c) => {
      const name = `${c.rng.pick(['svc', 'tmp', 'batch', 'debug'])}-${c.rng.hex(4)}`;
      const id = `sg-0${c.rng.hex(16)}`;
      return {
        request: `{"groupName":"${name}","groupDescription":"${name}","vpcId":"${c.regional.vpcs[0]}"}`,
        response: `{"requestId":"${c.requestId}","_return":true,"groupId":"${id}","securityGroupArn":"arn:aws:ec2:${c.region}:${c.account.id}:security-group/${id}"}`,
      };
    },
  },
  {
    name: 'AuthorizeSecurityGroupIngress',
    shape: internalIngress,
    notFound: ['Client.InvalidPermission.Duplicate', 'the specified rule already exists'],
  },
  {
    name: 'AuthorizeSecurityGroupEgress',
    shape: (c) => {
      const groupId = sg(c);
      return {
        request: `{"groupId":"${groupId}","ipPermissions":${items(['{"ipProtocol":"-1","groups":{},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{},"prefixListIds":{}}'])}}`,
        response: `{"requestId":"${c.requestId}","_return":true,"securityGroupRuleSet":${items([`{"groupOwnerId":"${c.account.id}","groupId":"${groupId}","securityGroupRuleId":"sgr-0${c.rng.hex(16)}","isEgress":true,"ipProtocol":"-1","fromPort":-1,"toPort":-1,"cidrIpv4":"0.0.0.0/0"}`])}}`,
      };
    },
  },
  {
    name: 'RevokeSecurityGroupIngress',
    shape: (c) => ({
      request: `{"groupId":"${sg(c)}","ipPermissions":${items([`{"ipProtocol":"tcp","fromPort":22,"toPort":22,"groups":{},"ipRanges":{"items":[{"cidrIp":"${c.rng.pick(INTERNAL_RANGES)}"}]},"ipv6Ranges":{},"prefixListIds":{}}`])}}`,
      response: ok(c),
    }),
  },
  {
    name: 'CreateSnapshot',
    shape: (c) => {
      const volumeId = c.rng.pick(c.regional.volumes);
      return {
        request: `{"volumeId":"${volumeId}","description":"nightly backup"}`,
        response: `{"requestId":"${c.requestId}","snapshotId":"snap-0${c.rng.hex(16)}","volumeId":"${volumeId}","status":"pending","startTime":${c.time},"progress":"","ownerId":"${c.account.id}","volumeSize":100,"description":"nightly backup","encrypted":true}`,
      };
    },
  },
  { name: 'DeleteSnapshot', shape: (c) => ({ request: `{"snapshotId":"${c.rng.pick(c.regional.snapshots)}"}`, response: ok(c) }) },
  {
    name: 'ModifyInstanceAttribute',
    shape: (c) => ({ request: `{"instanceId":"${someInstance(c).id}","disableApiTermination":{"value":true}}`, response: ok(c) }),
  },
  {
    name: 'CreateNetworkInterface',
    shape: (c) => ({
      request: `{"subnetId":"${c.rng.pick(c.regional.subnets)}","description":"AWS Lambda VPC ENI-${c.rng.pick(c.regional.functions.length > 0 ? c.regional.functions : ['fn'])}-${c.rng.uuid()}","groupSet":${items([`{"groupId":"${sg(c)}"}`])},"privateIpAddressesSet":{},"ipv6AddressCount":0}`,
      response: `{"requestId":"${c.requestId}","networkInterface":{"networkInterfaceId":"eni-0${c.rng.hex(16)}","subnetId":"${c.regional.subnets[0]}","vpcId":"${c.regional.vpcs[0]}","status":"pending","requesterId":"${c.rng.digits(12)}","requesterManaged":true}}`,
    }),
  },
]);

const asgName = (c: CallContext): string =>
  c.rng.pick(c.regional.autoScalingGroups.length > 0 ? c.regional.autoScalingGroups : ['default-asg']);

export const AUTOSCALING_CALLS: ApiCall[] = defineCalls('autoscaling', [
  {
    name: 'DescribeAutoScalingGroups',
    shape: (c) => request(c.rng.chance(0.5) ? `{"autoScalingGroupNames":["${asgName(c)}"]}` : '{"maxRecords":100}'),
  },
  { name: 'DescribeScalingActivities', shape: (c) => request(`{"autoScalingGroupName":"${asgName(c)}","maxRecords":20}`) },
  { name: 'DescribeAutoScalingInstances', shape: () => request('{"maxRecords":50}') },
  { name: 'DescribeLifecycleHooks', shape: (c) => request(`{"autoScalingGroupName":"${asgName(c)}"}`) },
  { name: 'DescribePolicies', shape: (c) => request(`{"autoScalingGroupName":"${asgName(c)}"}`) },
  { name: 'DescribeLaunchConfigurations' },
  {
    name: 'SetDesiredCapacity',
    shape: (c) => request(`{"autoScalingGroupName":"${asgName(c)}","desiredCapacity":${c.rng.between(3, 9)},"honorCooldown":false}`),
  },
  { name: 'UpdateAutoScalingGroup', shape: (c) => request(`{"autoScalingGroupName":"${asgName(c)}","minSize":3,"maxSize":12}`) },
  {
    name: 'CompleteLifecycleAction',
    shape: (c) =>
      request(
        `{"lifecycleHookName":"ecs-drain","autoScalingGroupName":"${asgName(c)}","lifecycleActionResult":"CONTINUE","instanceId":"${someInstance(c).id}"}`,
      ),
  },
]);

const lb = (c: CallContext): string =>
  c.rng.pick(
    c.regional.loadBalancers.length > 0
      ? c.regional.loadBalancers
      : [`arn:aws:elasticloadbalancing:${c.region}:${c.account.id}:loadbalancer/app/default/0`],
  );
const tg = (c: CallContext): string =>
  c.rng.pick(
    c.regional.targetGroups.length > 0
      ? c.regional.targetGroups
      : [`arn:aws:elasticloadbalancing:${c.region}:${c.account.id}:targetgroup/default/0`],
  );

export const ELB_CALLS: ApiCall[] = defineCalls('elasticloadbalancing', [
  { name: 'DescribeLoadBalancers', shape: () => request('{"pageSize":400}') },
  { name: 'DescribeTargetGroups', shape: (c) => request(`{"loadBalancerArn":"${lb(c)}"}`) },
  { name: 'DescribeTargetHealth', shape: (c) => request(`{"targetGroupArn":"${tg(c)}"}`) },
  { name: 'DescribeListeners', shape: (c) => request(`{"loadBalancerArn":"${lb(c)}"}`) },
  { name: 'DescribeRules', shape: (c) => request(`{"listenerArn":"${lb(c).replace(':loadbalancer/', ':listener/')}/${c.rng.hex(16)}"}`) },
  { name: 'DescribeLoadBalancerAttributes', shape: (c) => request(`{"loadBalancerArn":"${lb(c)}"}`) },
  { name: 'DescribeTargetGroupAttributes', shape: (c) => request(`{"targetGroupArn":"${tg(c)}"}`) },
  { name: 'DescribeTags', shape: (c) => request(`{"resourceArns":["${lb(c)}"]}`) },
  {
    name: 'RegisterTargets',
    shape: (c) => request(`{"targetGroupArn":"${tg(c)}","targets":[{"id":"${someInstance(c).privateIp}","port":8080}]}`),
  },
  {
    name: 'DeregisterTargets',
    shape: (c) => request(`{"targetGroupArn":"${tg(c)}","targets":[{"id":"${someInstance(c).privateIp}","port":8080}]}`),
  },
]);

const cluster = (c: CallContext): string => c.regional.ecsCluster;
const service = (c: CallContext): string => c.rng.pick(c.regional.ecsServices.length > 0 ? c.regional.ecsServices : ['api']);
const taskDefinition = (c: CallContext): string => `${cluster(c).replace('-main', '')}-${service(c)}:${c.rng.between(120, 160)}`;
const taskArn = (c: CallContext): string => `arn:aws:ecs:${c.region}:${c.account.id}:task/${cluster(c)}/${c.rng.hex(32)}`;

export const ECS_CALLS: ApiCall[] = defineCalls('ecs', [
  { name: 'ListClusters' },
  { name: 'DescribeClusters', shape: (c) => request(`{"clusters":["${cluster(c)}"],"include":["SETTINGS","STATISTICS","TAGS"]}`) },
  { name: 'ListServices', shape: (c) => request(`{"cluster":"${cluster(c)}","maxResults":100}`) },
  { name: 'DescribeServices', shape: (c) => request(`{"cluster":"${cluster(c)}","services":["${service(c)}"]}`) },
  { name: 'ListTasks', shape: (c) => request(`{"cluster":"${cluster(c)}","serviceName":"${service(c)}","desiredStatus":"RUNNING"}`) },
  { name: 'DescribeTasks', shape: (c) => request(`{"cluster":"${cluster(c)}","tasks":["${taskArn(c)}"]}`) },
  { name: 'DescribeTaskDefinition', shape: (c) => request(`{"taskDefinition":"${taskDefinition(c)}","include":["TAGS"]}`) },
  { name: 'ListTaskDefinitions', shape: () => request('{"status":"ACTIVE","sort":"DESC","maxResults":100}') },
  { name: 'DescribeContainerInstances', shape: (c) => request(`{"cluster":"${cluster(c)}","containerInstances":["${c.rng.hex(32)}"]}`) },
  {
    name: 'RegisterTaskDefinition',
    shape: (c) => {
      const family = `${cluster(c).replace('-main', '')}-${service(c)}`;
      const revision = c.rng.between(120, 160);
      return {
        request: `{"family":"${family}","taskRoleArn":"${roleArn(c.account.id, `${family}-task`)}","executionRoleArn":"${roleArn(c.account.id, 'ecsTaskExecutionRole')}","networkMode":"awsvpc","containerDefinitions":[{"name":"app","image":"${c.account.id}.dkr.ecr.${c.region}.amazonaws.com/${service(c)}:${c.rng.hex(7)}","cpu":0,"portMappings":[{"containerPort":8080,"hostPort":8080,"protocol":"tcp"}],"essential":true,"environment":[],"secrets":[]}],"requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024"}`,
        response: `{"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:${c.region}:${c.account.id}:task-definition/${family}:${revision}","family":"${family}","revision":${revision},"status":"ACTIVE","registeredAt":"${formatResponseDate(c.time)}"}}`,
      };
    },
  },
  {
    name: 'UpdateService',
    shape: (c) =>
      request(`{"cluster":"${cluster(c)}","service":"${service(c)}","taskDefinition":"${taskDefinition(c)}","forceNewDeployment":false}`),
  },
  {
    name: 'RunTask',
    shape: (c) =>
      request(
        `{"cluster":"${cluster(c)}","taskDefinition":"${cluster(c).replace('-main', '')}-migrations:${c.rng.between(20, 40)}","count":1,"launchType":"FARGATE","startedBy":"ci"}`,
      ),
  },
  { name: 'DiscoverPollEndpoint', shape: (c) => request(`{"containerInstance":"${c.rng.hex(32)}","cluster":"${cluster(c)}"}`) },
  {
    name: 'SubmitTaskStateChange',
    read: false,
    shape: (c) => request(`{"cluster":"${cluster(c)}","task":"${taskArn(c)}","status":"RUNNING"}`),
  },
]);

const repository = (c: CallContext): string => c.rng.pick(c.regional.repositories);
const digest = (c: CallContext): string => `sha256:${c.rng.hex(64)}`;

export const ECR_CALLS: ApiCall[] = defineCalls('ecr', [
  { name: 'GetAuthorizationToken', shape: (c) => request(`{"registryIds":["${c.account.id}"]}`) },
  {
    name: 'BatchGetImage',
    shape: (c) =>
      request(
        `{"repositoryName":"${repository(c)}","imageIds":[{"imageTag":"${c.rng.hex(7)}"}],"acceptedMediaTypes":["application/vnd.docker.distribution.manifest.v2+json","application/vnd.oci.image.manifest.v1+json"]}`,
      ),
  },
  {
    name: 'GetDownloadUrlForLayer',
    read: true,
    shape: (c) => request(`{"repositoryName":"${repository(c)}","layerDigest":"${digest(c)}"}`),
  },
  { name: 'BatchCheckLayerAvailability', shape: (c) => request(`{"repositoryName":"${repository(c)}","layerDigests":["${digest(c)}"]}`) },
  { name: 'DescribeRepositories' },
  { name: 'DescribeImages', shape: (c) => request(`{"repositoryName":"${repository(c)}","maxResults":100}`) },
  { name: 'ListImages', shape: (c) => request(`{"repositoryName":"${repository(c)}","filter":{"tagStatus":"TAGGED"}}`) },
  { name: 'DescribeImageScanFindings', shape: (c) => request(`{"repositoryName":"${repository(c)}","imageId":{"imageTag":"latest"}}`) },
  { name: 'InitiateLayerUpload', shape: (c) => request(`{"repositoryName":"${repository(c)}"}`) },
  {
    name: 'CompleteLayerUpload',
    shape: (c) => request(`{"repositoryName":"${repository(c)}","uploadId":"${c.rng.uuid()}","layerDigests":["${digest(c)}"]}`),
  },
  {
    name: 'PutImage',
    shape: (c) =>
      request(
        `{"repositoryName":"${repository(c)}","imageTag":"${c.rng.hex(7)}","imageManifestMediaType":"application/vnd.docker.distribution.manifest.v2+json"}`,
      ),
  },
]);

const fn = (c: CallContext): string => c.rng.pick(c.regional.functions.length > 0 ? c.regional.functions : ['hello-world']);
const fnRequest = (c: CallContext) => request(`{"functionName":"${fn(c)}"}`);

function updateFunction(kind: 'code' | 'configuration') {
  return (c: CallContext) => {
    const name = fn(c);
    return {
      request:
        kind === 'code'
          ? `{"functionName":"${name}","publish":false,"dryRun":false}`
          : `{"functionName":"${name}","timeout":30,"memorySize":${c.rng.pick([256, 512, 1024])}}`,
      response:
        `{"functionName":"${name}","functionArn":"${functionArn(c.region, c.account.id, name)}","runtime":"nodejs20.x","role":"${roleArn(c.account.id, `${name}-role`)}",` +
        `"handler":"index.handler","codeSize":${c.rng.between(80_000, 4_000_000)},"description":"","timeout":30,"memorySize":512,"lastModified":"${new Date(c.time).toISOString().replace('Z', '+0000')}",` +
        `"codeSha256":"${c.rng.mixedAlnum(43)}=","version":"$LATEST","tracingConfig":{"mode":"PassThrough"},"revisionId":"${c.rng.uuid()}","state":"Active","lastUpdateStatus":"InProgress","packageType":"Zip","architectures":["arm64"]}`,
    };
  };
}

export const LAMBDA_CALLS: ApiCall[] = defineCalls('lambda', [
  { name: 'ListFunctions20150331', shape: () => request('{"functionVersion":"ALL"}') },
  { name: 'GetFunction20150331v2', shape: fnRequest, notFound: ['ResourceNotFoundException', 'Function not found'] },
  { name: 'GetFunctionConfiguration20150331v2', shape: fnRequest },
  { name: 'GetPolicy20150331v2', shape: fnRequest, notFound: ['ResourceNotFoundException', 'The resource you requested does not exist.'] },
  { name: 'ListVersionsByFunction20150331', shape: fnRequest },
  { name: 'ListAliases20150331', shape: fnRequest },
  { name: 'ListEventSourceMappings20150331', shape: fnRequest },
  { name: 'ListTags20170331', shape: (c) => request(`{"resource":"${functionArn(c.region, c.account.id, fn(c))}"}`) },
  { name: 'GetFunctionCodeSigningConfig', shape: fnRequest },
  { name: 'GetFunctionUrlConfig', shape: fnRequest, notFound: ['ResourceNotFoundException', 'The resource you requested does not exist.'] },
  { name: 'GetFunctionConcurrency', shape: fnRequest },
  { name: 'GetAccountSettings20160819' },
  { name: 'UpdateFunctionCode20150331v2', shape: updateFunction('code') },
  { name: 'UpdateFunctionConfiguration20150331v2', shape: updateFunction('configuration') },
  { name: 'PublishVersion20150331', shape: fnRequest },
  {
    name: 'AddPermission20150331v2',
    shape: (c) =>
      request(
        `{"functionName":"${fn(c)}","statementId":"events-${c.rng.hex(8)}","action":"lambda:InvokeFunction","principal":"events.amazonaws.com"}`,
      ),
  },
]);
