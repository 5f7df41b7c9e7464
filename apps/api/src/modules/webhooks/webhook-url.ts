import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may point. A webhook makes PassMan send requests to an address an administrator
 * typed — a server-side request forgery risk: a cloud metadata service (169.254.169.254 and
 * friends) answers anyone on the host with credentials. So link-local and metadata addresses,
 * and addresses that mean "nowhere" (unspecified, multicast), are refused unless allowed; an
 * allow-list of host names narrows webhooks to known receivers. Loopback and private networks
 * stay allowed by default: a vault inside a company sends to receivers inside it.
 */
export interface WebhookUrlPolicy {
  /** Host names or IP literals webhooks may name; empty: any host (subject to the address rules). */
  allowedHosts: readonly string[];
  /** Allow link-local and metadata addresses (PASSMAN_WEBHOOK_ALLOW_LINK_LOCAL). */
  allowLinkLocal: boolean;
}

export const DEFAULT_WEBHOOK_URL_POLICY: WebhookUrlPolicy = { allowedHosts: [], allowLinkLocal: false };

const linkLocal = new BlockList();
linkLocal.addSubnet('169.254.0.0', 16, 'ipv4');
linkLocal.addSubnet('fe80::', 10, 'ipv6');
// Metadata services that sit outside link-local: AWS over IPv6, Alibaba Cloud.
linkLocal.addAddress('fd00:ec2::254', 'ipv6');
linkLocal.addAddress('100.100.100.200', 'ipv4');

const nowhere = new BlockList();
nowhere.addSubnet('0.0.0.0', 8, 'ipv4');
nowhere.addAddress('::', 'ipv6');
nowhere.addSubnet('224.0.0.0', 4, 'ipv4');
nowhere.addSubnet('ff00::', 8, 'ipv6');
nowhere.addAddress('255.255.255.255', 'ipv4');

/** Why an address may not be sent to, or null. */
export function refusedAddress(address: string, policy: WebhookUrlPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // An IPv4-mapped IPv6 address is checked as the IPv4 address it is.
  const mapped = type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return refusedAddress(mapped, policy);
  if (nowhere.check(address, type)) return `${address} is not a unicast address`;
  if (!policy.allowLinkLocal && linkLocal.check(address, type)) return `${address} is link-local or a cloud metadata address`;
  return null;
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Why a webhook URL is refused by the policy (its host; the addresses it resolves to are checked when sending), or null. */
export function refusedUrl(value: string, policy: WebhookUrlPolicy): string | null {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs';
  const host = bareHost(url.hostname);
  if (policy.allowedHosts.length > 0 && !policy.allowedHosts.some((h) => bareHost(h) === host)) {
    return `${host} is not among the allowed webhook hosts (PASSMAN_WEBHOOK_ALLOWED_HOSTS)`;
  }
  return isIP(host) ? refusedAddress(host, policy) : null;
}

/**
 * A DNS lookup for the request itself that refuses the addresses the policy refuses: checked on
 * the address actually connected to, so a name that resolves to a public address when saved and
 * to a metadata address when sent (DNS rebinding) is still refused.
 */
export function guardedLookup(policy: WebhookUrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const why = refusedAddress(a.address, policy);
        if (why) return callback(Object.assign(new Error(`refused: ${why}`), { code: 'WEBHOOK_ADDRESS_REFUSED' }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * A webhook's URL as the audit trail keeps it. Receivers often take their credential in the URL
 * itself (Slack's and Discord's tokens are path segments, others use `?token=`), and the audit trail
 * is read by auditors, who never see a secret. So it keeps the scheme, host and port, and of the rest
 * only whether there was any. No hash of the whole either: a short or chosen token could be found
 * from it by trying guesses; an update says instead whether the URL changed.
 */
export function auditedWebhookUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '…';
  }
  const rest = parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '' ? '/…' : '/';
  return `${parsed.protocol}//${parsed.host}${rest}`;
}
