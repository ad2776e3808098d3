/*
 * Strict parsers of the headers lib/net reads, and checksum helpers.
 */
#include "net/wire.h"

#include "base/errors.h"
#include "base/string.h"

uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
        if (sum > 0xffff0000u) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
    }
    if (i < n) {
        sum += (uint32_t)p[i] << 8;
    }
    return sum;
}

uint16_t net_csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

uint32_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

int net_eth_parse(const uint8_t *p, size_t n, struct net_eth *out)
{
    if (n < NET_ETH_HLEN) {
        return ZERR_TRUNCATED;
    }
    memcpy(out->dst.b, p, 6);
    memcpy(out->src.b, p + 6, 6);
    out->type = net_get16(p + 12);
    if (out->type < 0x0600) {
        return ZERR_UNSUPPORTED; /* an 802.3 length field, not an EtherType */
    }
    out->payload = p + NET_ETH_HLEN;
    out->len = n - NET_ETH_HLEN;
    return 0;
}

int net_arp_parse(const uint8_t *p, size_t n, struct net_arp *out)
{
    if (n < 28) {
        return ZERR_TRUNCATED;
    }
    if (net_get16(p) != 1 || net_get16(p + 2) != NET_ETH_IPV4 || p[4] != 6 || p[5] != 4) {
        return ZERR_UNSUPPORTED;
    }
    out->op = net_get16(p + 6);
    if (out->op != NET_ARP_REQUEST && out->op != NET_ARP_REPLY) {
        return ZERR_UNSUPPORTED;
    }
    memcpy(out->sha.b, p + 8, 6);
    out->spa = net_get32(p + 14);
    memcpy(out->tha.b, p + 18, 6);
    out->tpa = net_get32(p + 24);
    return 0;
}

int net_ipv4_parse(const uint8_t *p, size_t n, struct net_ipv4 *out)
{
    if (n < NET_IP_HLEN) {
        return ZERR_TRUNCATED;
    }
    size_t hl = (size_t)(p[0] & 0x0f) * 4;
    size_t total = net_get16(p + 2);
    if (p[0] >> 4 != 4 || hl < NET_IP_HLEN) {
        return ZERR_CORRUPT;
    }
    if (total < hl || total > n) {
        return total > n ? ZERR_TRUNCATED : ZERR_CORRUPT;
    }
    if (net_csum_fold(net_csum_add(0, p, hl)) != 0) {
        return ZERR_CORRUPT;
    }
    uint16_t frag = net_get16(p + 6);
    out->tos = p[1];
    out->id = net_get16(p + 4);
    out->dont_frag = (frag & 0x4000) != 0;
    out->more_frags = (frag & 0x2000) != 0;
    out->frag_off = (uint16_t)((frag & 0x1fff) * 8);
    out->ttl = p[8];
    out->proto = p[9];
    out->src = net_get32(p + 12);
    out->dst = net_get32(p + 16);
    out->payload = p + hl;
    out->len = total - hl;
    return 0;
}

int net_icmp_parse(const uint8_t *p, size_t n, struct net_icmp *out)
{
    if (n < 8) {
        return ZERR_TRUNCATED;
    }
    if (net_csum_fold(net_csum_add(0, p, n)) != 0) {
        return ZERR_CORRUPT;
    }
    out->type = p[0];
    out->code = p[1];
    out->id = net_get16(p + 4);
    out->seq = net_get16(p + 6);
    out->data = p + 8;
    out->len = n - 8;
    return 0;
}

int net_udp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct net_udp *out)
{
    if (n < NET_UDP_HLEN) {
        return ZERR_TRUNCATED;
    }
    size_t len = net_get16(p + 4);
    if (len < NET_UDP_HLEN || len > n) {
        return len > n ? ZERR_TRUNCATED : ZERR_CORRUPT;
    }
    if (net_get16(p + 6) != 0) {
        uint32_t sum = net_csum_pseudo(src, dst, NET_IP_UDP, (uint16_t)len);
        if (net_csum_fold(net_csum_add(sum, p, len)) != 0) {
            return ZERR_CORRUPT;
        }
    }
    out->sport = net_get16(p);
    out->dport = net_get16(p + 2);
    out->payload = p + NET_UDP_HLEN;
    out->len = len - NET_UDP_HLEN;
    return 0;
}

int net_tcp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct net_tcp_seg *out)
{
    if (n < NET_TCP_HLEN) {
        return ZERR_TRUNCATED;
    }
    if (n > 0xffff) {
        return ZERR_CORRUPT;
    }
    size_t off = (size_t)(p[12] >> 4) * 4;
    if (off < NET_TCP_HLEN || off > n) {
        return ZERR_CORRUPT;
    }
    uint32_t sum = net_csum_pseudo(src, dst, NET_IP_TCP, (uint16_t)n);
    if (net_csum_fold(net_csum_add(sum, p, n)) != 0) {
        return ZERR_CORRUPT;
    }
    out->sport = net_get16(p);
    out->dport = net_get16(p + 2);
    out->seq = net_get32(p + 4);
    out->ack = net_get32(p + 8);
    out->flags = p[13] & 0x3f;
    out->wnd = net_get16(p + 14);
    out->opts = p + NET_TCP_HLEN;
    out->optlen = off - NET_TCP_HLEN;
    out->payload = p + off;
    out->len = n - off;
    return 0;
}

int net_tcp_parse_options(const uint8_t *p, size_t n, struct net_tcp_opts *out)
{
    memset(out, 0, sizeof(*out));
    size_t i = 0;
    while (i < n) {
        uint8_t kind = p[i];
        if (kind == 0) {
            return 0; /* End of option list */
        }
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || p[i + 1] < 2 || p[i + 1] > n - i) {
            return ZERR_CORRUPT;
        }
        size_t len = p[i + 1];
        if (kind == 2) {
            if (len != 4) {
                return ZERR_CORRUPT;
            }
            out->has_mss = true;
            out->mss = net_get16(p + i + 2);
        } else if (kind == 3) {
            if (len != 3) {
                return ZERR_CORRUPT;
            }
            out->has_ws = true;
            out->wscale = p[i + 2] > 14 ? 14 : p[i + 2];
        }
        i += len;
    }
    return 0;
}

/* Reads one DHCP option's value as an address (the first one of a list). */
static int dhcp_addr(const uint8_t *v, size_t len, uint32_t *out)
{
    if (len < 4 || len % 4 != 0) {
        return ZERR_CORRUPT;
    }
    *out = net_get32(v);
    return 0;
}

/* Applies one DHCP option to out. */
static int dhcp_option(uint8_t code, const uint8_t *v, size_t len, struct net_dhcp_msg *out)
{
    switch (code) {
    case 1:
        return dhcp_addr(v, len, &out->netmask);
    case 3:
        return dhcp_addr(v, len, &out->router);
    case 6:
        return dhcp_addr(v, len, &out->dns);
    case 51:
        return dhcp_addr(v, len, &out->lease_s);
    case 52:
        return ZERR_UNSUPPORTED; /* option overload: options in sname/file */
    case 53:
        if (len != 1) {
            return ZERR_CORRUPT;
        }
        out->type = v[0];
        return 0;
    case 54:
        return dhcp_addr(v, len, &out->server);
    default:
        return 0;
    }
}

int net_dhcp_parse(const uint8_t *p, size_t n, struct net_dhcp_msg *out)
{
    memset(out, 0, sizeof(*out));
    if (n < 240) {
        return ZERR_TRUNCATED;
    }
    if (p[1] != 1 || p[2] != 6 || net_get32(p + 236) != 0x63825363u) {
        return ZERR_UNSUPPORTED;
    }
    out->op = p[0];
    out->xid = net_get32(p + 4);
    out->yiaddr = net_get32(p + 16);
    memcpy(out->chaddr.b, p + 28, 6);
    size_t i = 240;
    while (i < n && p[i] != 255) {
        if (p[i] == 0) {
            i++;
            continue;
        }
        if (i + 1 >= n || p[i + 1] > n - i - 2) {
            return ZERR_TRUNCATED;
        }
        int err = dhcp_option(p[i], p + i + 2, p[i + 1], out);
        if (err != 0) {
            return err;
        }
        i += 2 + (size_t)p[i + 1];
    }
    if (i >= n) {
        return ZERR_TRUNCATED; /* no End option */
    }
    return out->type == 0 ? ZERR_UNSUPPORTED : 0;
}

int net_dns_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name)
{
    size_t nlen = strnlen(name, NET_DNS_NAME_MAX + 1);
    if (nlen == 0 || nlen > NET_DNS_NAME_MAX || cap < 12 + nlen + 2 + 4) {
        return ZERR_INVAL;
    }
    memset(out, 0, 12);
    net_put16(out, id);
    out[2] = 0x01; /* RD */
    net_put16(out + 4, 1);
    size_t o = 12;
    size_t label = 0;
    for (size_t i = 0; i <= nlen; i++) {
        if (i == nlen || name[i] == '.') {
            size_t ll = i - label;
            if (ll == 0 || ll > 63) {
                return ZERR_INVAL;
            }
            out[o++] = (uint8_t)ll;
            memcpy(out + o, name + label, ll);
            o += ll;
            label = i + 1;
        }
    }
    out[o++] = 0;
    net_put16(out + o, 1);     /* QTYPE A */
    net_put16(out + o + 2, 1); /* QCLASS IN */
    return (int)(o + 4);
}

/* Skips the (possibly compressed) name at *off; pointers end it. */
static int dns_skip_name(const uint8_t *p, size_t n, size_t *off)
{
    size_t i = *off;
    for (unsigned labels = 0; labels < 128; labels++) {
        if (i >= n) {
            return ZERR_TRUNCATED;
        }
        uint8_t l = p[i];
        if ((l & 0xc0) == 0xc0) {
            if (i + 1 >= n) {
                return ZERR_TRUNCATED;
            }
            *off = i + 2;
            return 0;
        }
        if (l & 0xc0) {
            return ZERR_CORRUPT;
        }
        i += 1 + (size_t)l;
        if (l == 0) {
            *off = i;
            return 0;
        }
    }
    return ZERR_CORRUPT;
}

int net_dns_parse_response(const uint8_t *p, size_t n, uint16_t id, uint32_t *ip)
{
    if (n < 12) {
        return ZERR_TRUNCATED;
    }
    if (net_get16(p) != id || !(p[2] & 0x80) || (p[2] & 0x78) != 0) {
        return ZERR_CORRUPT; /* not our response, or not a standard query */
    }
    uint8_t rcode = p[3] & 0x0f;
    if (rcode == 3) {
        return ZERR_NOENT;
    }
    if (rcode != 0) {
        return ZERR_IO;
    }
    size_t qd = net_get16(p + 4);
    size_t an = net_get16(p + 6);
    size_t off = 12;
    for (size_t i = 0; i < qd; i++) {
        int err = dns_skip_name(p, n, &off);
        if (err != 0) {
            return err;
        }
        off += 4;
    }
    for (size_t i = 0; i < an; i++) {
        int err = dns_skip_name(p, n, &off);
        if (err != 0) {
            return err;
        }
        if (off + 10 > n) {
            return ZERR_TRUNCATED;
        }
        uint16_t type = net_get16(p + off);
        uint16_t cls = net_get16(p + off + 2);
        size_t rdlen = net_get16(p + off + 8);
        off += 10;
        if (rdlen > n - off) {
            return ZERR_TRUNCATED;
        }
        if (type == 1 && cls == 1 && rdlen == 4) {
            *ip = net_get32(p + off);
            return 0;
        }
        off += rdlen;
    }
    return ZERR_NOENT;
}
