/*
 * Unit tests of lib/net below and beside TCP, on a manual clock: the ARP
 * cache (resolution, the packet that waits, retries, expiry), IPv4
 * (checksums, fragments refused), ICMP echo and port unreachable, UDP
 * sockets, the DHCP client against a scripted server, the DNS stub
 * against scripted answers, and the wire parsers on hostile bytes.
 */
#include <string.h>

#include "base/errors.h"
#include "harness.h"
#include "tap.h"

static void test_arp(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    int u = net_udp_open(h.s, 1000);
    net_udp_sendto(h.s, u, H_PEER, 9, "x", 1, h.now);
    ok(h_next(&h, &g) && g.ethertype == NET_ETH_ARP && g.arp.op == NET_ARP_REQUEST &&
           g.arp.tpa == H_PEER,
       "an unknown neighbour is asked for by ARP");
    ok(!h_next(&h, &g), "the datagram waits");
    h_advance(&h, 1000);
    ok(h_next(&h, &g) && g.arp.op == NET_ARP_REQUEST, "asked again after a second");
    h_learn_peer(&h); /* drains: includes the datagram that waited */
    net_udp_sendto(h.s, u, H_PEER, 9, "y", 1, h.now);
    ok(h_next(&h, &g) && g.proto == NET_IP_UDP && g.dst == H_PEER, "resolved: sent directly");
    h_advance(&h, 60000);
    net_udp_sendto(h.s, u, H_PEER, 9, "z", 1, h.now);
    ok(h_next(&h, &g) && g.ethertype == NET_ETH_ARP, "after 60 s the entry expired");
    h_advance(&h, 1000);
    h_advance(&h, 1000);
    h_advance(&h, 1000);
    h_drain(&h);
    is_int(net_next_deadline(h.s), UINT64_MAX, "three unanswered requests: given up");
    /* Off-link destinations go to the gateway's address. */
    net_udp_sendto(h.s, u, 0x08080808, 53, "q", 1, h.now);
    ok(h_next(&h, &g) && g.ethertype == NET_ETH_ARP && g.arp.tpa == 0x0a0000feu,
       "off-link traffic resolves the gateway");
    h_free(&h);
}

static void test_arp_reply(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    uint8_t a[28] = {0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 2};
    net_put32(a + 14, H_PEER);
    net_put32(a + 24, H_US);
    uint8_t f[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 2, 8, 6};
    memcpy(f + 14, a, sizeof(a));
    net_input(h.s, f, sizeof(f), h.now);
    ok(h_next(&h, &g) && g.arp.op == NET_ARP_REPLY && g.arp.tpa == H_PEER && g.arp.spa == H_US,
       "ARP requests for our address are answered");
    net_put32(f + 14 + 24, 0x0a000063);
    net_input(h.s, f, sizeof(f), h.now);
    ok(!h_next(&h, &g), "requests for other addresses are not");
    h_free(&h);
}

static void test_ipv4_and_icmp(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    h_learn_peer(&h);
    uint8_t echo[12] = {8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g'};
    net_put16(echo + 2, net_csum_fold(net_csum_add(0, echo, sizeof(echo))));
    h_inject_ip(&h, H_PEER, H_US, NET_IP_ICMP, echo, sizeof(echo));
    ok(h_next(&h, &g) && g.proto == NET_IP_ICMP && g.icmp.type == NET_ICMP_ECHO_REPLY,
       "echo request answered");
    ok(g.icmp.id == 0x1234 && g.icmp.seq == 1 && g.icmp.len == 4 &&
           memcmp(g.icmp.data, "ping", 4) == 0,
       "the reply carries the request's id, sequence and data");
    echo[8] ^= 1; /* now the checksum is wrong */
    h_inject_ip(&h, H_PEER, H_US, NET_IP_ICMP, echo, sizeof(echo));
    ok(!h_next(&h, &g), "a corrupted echo request is dropped");
    /* A fragment is refused. */
    uint8_t frag[NET_ETH_HLEN + 28] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0, 0x45};
    uint8_t *ip = frag + NET_ETH_HLEN;
    net_put16(ip + 2, 28);
    net_put16(ip + 6, 0x2000); /* More Fragments */
    ip[8] = 64;
    ip[9] = NET_IP_ICMP;
    net_put32(ip + 12, H_PEER);
    net_put32(ip + 16, H_US);
    net_put16(ip + 10, net_csum_fold(net_csum_add(0, ip, 20)));
    net_input(h.s, frag, sizeof(frag), h.now);
    ok(!h_next(&h, &g), "a fragment gets no answer");
    is_int(net_counters(h.s)->ip_frag_refused, 1, "and is counted as refused");
    /* Ping out. */
    h.random_value = 0x00010001;
    is_int(net_ping(h.s, H_PEER, 7, h.now), 0, "ping sends");
    ok(h_next(&h, &g) && g.icmp.type == NET_ICMP_ECHO && g.icmp.seq == 7, "an echo request");
    uint64_t rtt;
    is_int(net_ping_result(h.s, &rtt), ZERR_AGAIN, "no reply yet");
    uint8_t reply[8 + 32];
    memcpy(reply, g.icmp.data - 8, sizeof(reply));
    reply[0] = NET_ICMP_ECHO_REPLY;
    net_put16(reply + 2, 0);
    net_put16(reply + 2, net_csum_fold(net_csum_add(0, reply, sizeof(reply))));
    h.now += 5;
    h_inject_ip(&h, H_PEER, H_US, NET_IP_ICMP, reply, sizeof(reply));
    ok(net_ping_result(h.s, &rtt) == 0 && rtt == 5, "the reply measures 5 ms");
    h_free(&h);
}

static void test_udp(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int u = net_udp_open(h.s, 7000);
    ok(u > 0, "UDP bind");
    is_int(h.last_kind, NET_AUTH_UDP, "asked for authorization");
    is_int(net_udp_open(h.s, 7000), ZERR_EXIST, "a port binds once");
    for (int i = 0; i < NET_UDP_QUEUE + 1; i++) {
        char d[2] = {'a', (char)('0' + i)};
        h_inject_udp(&h, H_PEER, 3000, H_US, 7000, d, 2);
    }
    is_int(net_counters(h.s)->rx_dropped, 1, "a full queue drops the extra datagram");
    char buf[16];
    uint32_t ip;
    uint16_t port;
    is_int(net_udp_recvfrom(h.s, u, buf, sizeof(buf), &ip, &port), 2, "first datagram");
    ok(ip == H_PEER && port == 3000 && buf[1] == '0', "with its source, in order");
    h_inject_udp(&h, H_PEER, 3000, H_US, 7001, "zz", 2);
    ok(h_next(&h, &g) && g.proto == NET_IP_ICMP && g.icmp.type == NET_ICMP_UNREACH &&
           g.icmp.code == 3,
       "a closed port answers ICMP port unreachable");
    is_int(net_udp_sendto(h.s, u, H_PEER, 3000, "reply", 5, h.now), 0, "sendto");
    ok(h_next(&h, &g) && g.udp.sport == 7000 && g.udp.dport == 3000 && g.udp.len == 5,
       "the datagram leaves from the bound port");
    net_udp_close(h.s, u);
    is_int(net_udp_recvfrom(h.s, u, buf, sizeof(buf), &ip, &port), ZERR_BADCAP,
           "a closed socket's handle is stale");
    h_free(&h);
}

/* Builds a DHCP reply of type to xid offering 10.0.0.50. */
static size_t dhcp_reply(uint8_t *m, uint8_t type, uint32_t xid)
{
    memset(m, 0, 300);
    m[0] = 2;
    m[1] = 1;
    m[2] = 6;
    net_put32(m + 4, xid);
    net_put32(m + 16, 0x0a000032);
    uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    memcpy(m + 28, mac, 6);
    net_put32(m + 236, 0x63825363u);
    uint8_t opts[] = {53, 1, type, 54,  4, 10, 0,  0, 254, 1,  4,  255, 255, 255, 0, 3,   4,
                      10, 0, 0,    254, 6, 4,  10, 0, 0,   53, 51, 4,   0,   0,   0, 100, 255};
    memcpy(m + 240, opts, sizeof(opts));
    return 240 + sizeof(opts);
}

static void test_dhcp(void)
{
    struct harness h;
    struct h_seg g;
    struct net_config cfg = {.rto_min_ms = 200};
    h_init(&h, &cfg);
    h.random_value = 0xabcdef01;
    h_advance(&h, 1);
    ok(h_next(&h, &g) && g.proto == NET_IP_UDP && g.udp.dport == 67 && g.dst == 0xffffffffu &&
           g.src == 0,
       "DHCPDISCOVER broadcast from 0.0.0.0");
    struct net_dhcp_msg m;
    ok(net_dhcp_parse(g.udp.payload, g.udp.len, &m) == 0 && m.type == NET_DHCP_DISCOVER,
       "it parses as a DISCOVER");
    uint32_t xid = m.xid;
    h_advance(&h, 2000);
    ok(h_next(&h, &g) && g.udp.dport == 67, "retransmitted after 2 s");
    uint8_t r[300];
    size_t n = dhcp_reply(r, NET_DHCP_OFFER, xid + 1);
    h_inject_udp(&h, 0x0a0000fe, 67, 0xffffffffu, 68, r, n);
    ok(!h_next(&h, &g), "an offer for another transaction is ignored");
    n = dhcp_reply(r, NET_DHCP_OFFER, xid);
    h_inject_udp(&h, 0x0a0000fe, 67, 0xffffffffu, 68, r, n);
    ok(h_next(&h, &g) && net_dhcp_parse(g.udp.payload, g.udp.len, &m) == 0 &&
           m.type == NET_DHCP_REQUEST,
       "the offer is requested");
    n = dhcp_reply(r, NET_DHCP_ACK, xid);
    h_inject_udp(&h, 0x0a0000fe, 67, 0xffffffffu, 68, r, n);
    uint32_t ip, mask, gw, dns;
    net_addr(h.s, &ip, &mask, &gw, &dns);
    ok(ip == 0x0a000032 && mask == 0xffffff00u && gw == 0x0a0000fe && dns == 0x0a000035,
       "the ACK configures address, mask, gateway and DNS");
    h_advance(&h, 50000);
    ok(h_next(&h, &g) && g.udp.dport == 67 && g.src == 0x0a000032, "renewal at half the lease");
    h_advance(&h, 51000);
    net_addr(h.s, &ip, &mask, &gw, &dns);
    is_int(ip, 0, "the lease ran out unanswered: the address is dropped");
    h_free(&h);
}

static void test_dns(void)
{
    struct harness h;
    struct h_seg g;
    struct net_config cfg = {.ip = H_US, .netmask = 0xffffff00u, .dns = H_PEER};
    h_init(&h, &cfg);
    h_learn_peer(&h);
    uint32_t ip = 0;
    is_int(net_dns_resolve(h.s, "10.1.2.3", h.now), 0, "a dotted quad resolves at once");
    ok(net_dns_result(h.s, &ip) == 0 && ip == 0x0a010203, "to itself");
    h.random_value = 0x4242;
    is_int(net_dns_resolve(h.s, "zero.test", h.now), 0, "a query starts");
    ok(h_next(&h, &g) && g.udp.dport == 53 && g.dst == H_PEER, "a query to the DNS server");
    is_int(net_dns_result(h.s, &ip), ZERR_AGAIN, "waiting");
    uint8_t r[128];
    memcpy(r, g.udp.payload, g.udp.len);
    size_t n = g.udp.len;
    uint16_t sport = g.udp.sport;
    r[2] = 0x81;
    r[3] = 0x80;
    net_put16(r + 6, 1);
    uint8_t ans[16] = {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 77};
    memcpy(r + n, ans, sizeof(ans));
    r[0] ^= 1; /* wrong ID first */
    h_inject_udp(&h, H_PEER, 53, H_US, sport, r, n + sizeof(ans));
    is_int(net_dns_result(h.s, &ip), ZERR_AGAIN, "an answer with the wrong ID is ignored");
    r[0] ^= 1;
    h_inject_udp(&h, H_PEER, 53, H_US, sport, r, n + sizeof(ans));
    ok(net_dns_result(h.s, &ip) == 0 && ip == 0x0a00004d, "the A record through a pointer");
    net_dns_resolve(h.s, "nothing.test", h.now);
    for (int i = 0; i < 4; i++) {
        h_advance(&h, 1000u << i);
    }
    is_int(net_dns_result(h.s, &ip), ZERR_TIMEOUT, "no answer: a timeout after the retries");
    is_int(net_dns_resolve(h.s, "a..b", h.now), ZERR_INVAL, "an empty label is refused");
    h_free(&h);
}

static void test_parsers_hostile(void)
{
    uint8_t b[64] = {0};
    struct net_ipv4 ip;
    b[0] = 0x46; /* IHL 6 */
    net_put16(b + 2, 20);
    is_int(net_ipv4_parse(b, sizeof(b), &ip), ZERR_CORRUPT, "total length below IHL");
    b[0] = 0x45;
    net_put16(b + 2, 100);
    is_int(net_ipv4_parse(b, sizeof(b), &ip), ZERR_TRUNCATED, "total length beyond the frame");
    struct net_tcp_opts o;
    uint8_t opts1[] = {2, 4, 5};
    is_int(net_tcp_parse_options(opts1, sizeof(opts1), &o), ZERR_CORRUPT, "cut MSS option");
    uint8_t opts2[] = {8, 1, 0, 0};
    is_int(net_tcp_parse_options(opts2, sizeof(opts2), &o), ZERR_CORRUPT, "option length 1");
    uint8_t opts3[] = {1, 3, 3, 20, 0};
    ok(net_tcp_parse_options(opts3, sizeof(opts3), &o) == 0 && o.wscale == 14,
       "window scale clamped to 14");
    uint8_t dns[32] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 12};
    uint32_t a;
    ok(net_dns_parse_response(dns, 14, 0x1234, &a) < 0, "a question cut short is refused");
    uint8_t loop[40] = {0x12, 0x34, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0xc0, 12};
    ok(net_dns_parse_response(loop, sizeof(loop), 0x1234, &a) < 0,
       "an answer without an A record is refused");
    uint8_t q[300];
    char longname[300];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[299] = '\0';
    is_int(net_dns_build_query(q, sizeof(q), 1, longname), ZERR_INVAL, "a name too long");
    uint32_t v;
    ok(net_ip_parse("10.0.2.15", &v) == 0 && v == 0x0a00020f, "dotted quad");
    ok(net_ip_parse("256.0.0.1", &v) < 0 && net_ip_parse("1.2.3", &v) < 0 &&
           net_ip_parse("1.2.3.4.5", &v) < 0 && net_ip_parse("01234.1.1.1", &v) < 0,
       "malformed dotted quads are refused");
}

int main(void)
{
    tap_no_plan();
    test_arp();
    test_arp_reply();
    test_ipv4_and_icmp();
    test_udp();
    test_dhcp();
    test_dns();
    test_parsers_hostile();
    return tap_done();
}
