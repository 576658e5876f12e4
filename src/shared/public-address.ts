import ipaddr from 'ipaddr.js';

/**
 * Whether the server may connect to `address` when a URL someone typed or sent names it
 * (photos by URL, webhook endpoints): an address is public only when ipaddr.js calls it
 * plain `unicast`. Loopback, private, link-local, CGNAT, multicast, reserved and
 * documentation ranges are refused, and so are IPv6 forms that carry an IPv4 address inside
 * (IPv4-compatible `::a.b.c.d`, NAT64, 6to4, Teredo) and the old site-local `fec0::/10`; an
 * IPv4-mapped `::ffff:a.b.c.d` is judged as the IPv4 address it is.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.parts.slice(0, 6).every((part) => part === 0)) return false; // ::a.b.c.d
  }
  return parsed.range() === 'unicast';
}

/** An IP address literal (the brackets of an IPv6 host removed), or null for a name. */
export function ipLiteral(host: string): { address: string; family: 4 | 6 } | null {
  const bare = host.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return null;
  return { address: bare, family: ipaddr.parse(bare).kind() === 'ipv6' ? 6 : 4 };
}
