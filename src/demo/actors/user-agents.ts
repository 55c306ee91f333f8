/**
 * The user agents that appear in the demo trail: browsers, aws-cli/2 (which names its command),
 * SDKs (which name their service client), Terraform, agents on instances, AWS services.
 * Each person keeps the same browser and CLI, so a new agent is as telling as a new address.
 */
import type { Channel } from '../activity.js';
import type { ApiCall } from '../event-catalog.js';

/** The user agent of the S3 console, which calls S3 from AWS's side rather than the browser. */
export const S3_CONSOLE =
  '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.770 Linux/5.10.226-193.880.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.422-b05 java/1.8.0_422 vendor/Oracle_Corporation cfg/retry-mode/standard]';
export const TERRAFORM =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.72.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64';
export const LAMBDA_NODE =
  'aws-sdk-js/3.675.0 ua/2.1 os/linux#5.10.226-236.879.amzn2.x86_64 lang/js md/nodejs#20.17.0 exec-env/AWS_Lambda_nodejs20.x';
export const LAMBDA_PYTHON =
  'Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.226-236.879.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145';
export const ECS_NODE =
  'aws-sdk-js/3.675.0 ua/2.1 os/linux#5.10.226-236.879.amzn2.x86_64 lang/js md/nodejs#20.18.0 exec-env/AWS_ECS_FARGATE';
export const SSM_AGENT = 'aws-sdk-go/1.44.260 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.987.0';
export const ECS_AGENT = 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) exec-env/AWS_ECS_EC2';
export const CI_CLI =
  'aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1015-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off';
export const CDK = 'aws-cdk/2.162.1 aws-sdk-js/3.675.0 ua/2.1 os/linux#6.8.0-1015-azure lang/js md/nodejs#20.18.0 exec-env/GitHubActions';
export const OLD_BOTO =
  'Boto3/1.26.137 md/Botocore#1.29.137 ua/2.0 os/linux#3.10.0-1160.119.1.el7.x86_64 md/arch#x86_64 lang/python#3.9.18 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.29.137';

const sdkService = (call: ApiCall): string => call.eventSource.slice(0, call.eventSource.indexOf('.'));

function userAgentOf(channel: Channel, base: string, call: ApiCall): string {
  switch (channel) {
    case 'cli':
      return `${base} md/command#${call.cliCommand}`;
    case 'terraform':
      return `${base} api/${sdkService(call)}#1.${(call.eventName.length * 7) % 40}.0`;
    case 'sdk':
      return base.startsWith('aws-sdk-js') ? `${base} api/${sdkService(call)}#3.675.0` : base;
    case 'console':
      return call.eventSource === 's3.amazonaws.com' ? S3_CONSOLE : base;
    case 'service':
      return base;
  }
}

const agents = new Map<string, (call: ApiCall) => string>();

/**
 * The user agent of a channel: the CLI names its command, SDKs their service client.
 * One function per (channel, agent), shared by every session, each agent text built once per API.
 */
export function userAgentFor(channel: Channel, base: string): (call: ApiCall) => string {
  const key = `${channel}|${base}`;
  let agent = agents.get(key);
  if (!agent) {
    const byCall = new Map<ApiCall, string>();
    agent = (call) => {
      let text = byCall.get(call);
      if (text === undefined) byCall.set(call, (text = userAgentOf(channel, base, call)));
      return text;
    };
    agents.set(key, agent);
  }
  return agent;
}
