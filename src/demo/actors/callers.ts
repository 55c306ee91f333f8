/**
 * Callers for the common kinds of principal: a role session, an IAM user with a key, an AWS
 * service acting for itself.
 *
 * A caller's userIdentity text is built once per session and shared by all its records; the
 * `via` variant (an AWS service calling KMS for the principal) is built on first use.
 */
import type { ApiCall } from '../event-catalog.js';
import type { Caller } from '../event-recorder.js';
import { assumedRoleIdentity, iamUserIdentity, sessionArn, type IamUser, type RoleSession } from '../identities.js';

/** A service acting on the principal's behalf: its name is the source address and the agent. */
function viaService(identity: (invokedBy: string) => string, arn: string, userName?: string): (service: string) => Caller {
  const cache = new Map<string, Caller>();
  return (service) => {
    let caller = cache.get(service);
    if (!caller) {
      caller = {
        userIdentity: identity(service),
        sourceIPAddress: service,
        userAgent: () => service,
        arn,
        ...(userName ? { userName } : {}),
        tls: false,
      };
      cache.set(service, caller);
    }
    return caller;
  };
}

export function roleSessionCaller(
  session: RoleSession,
  ip: string,
  userAgent: (call: ApiCall) => string,
  options: { console?: boolean; userName?: string } = {},
): Caller {
  const arn = sessionArn(session);
  return {
    userIdentity: assumedRoleIdentity(session),
    sourceIPAddress: ip,
    userAgent,
    arn,
    ...(options.userName ? { userName: options.userName } : {}),
    ...(options.console ? { fromConsole: true } : {}),
    tls: 'TLSv1.3',
    via: viaService((invokedBy) => assumedRoleIdentity({ ...session, invokedBy }), arn, options.userName),
  };
}

/** An AWS service acting for itself: its name as address and agent, no TLS details. */
export function serviceCaller(userIdentity: string, service: string, arn = service): Caller {
  return { userIdentity, sourceIPAddress: service, userAgent: () => service, arn, tls: false };
}

export function iamUserCaller(user: IamUser, ip: string, userAgent: (call: ApiCall) => string, identity = iamUserIdentity(user)): Caller {
  const arn = `arn:aws:iam::${user.account.id}:user/${user.userName}`;
  return {
    userIdentity: identity,
    sourceIPAddress: ip,
    userAgent,
    arn,
    userName: user.userName,
    tls: 'TLSv1.3',
    via: viaService((invokedBy) => identity.slice(0, -1) + `,"invokedBy":"${invokedBy}"}`, arn, user.userName),
  };
}
