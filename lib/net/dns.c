/*
 * A DNS stub resolver (RFC 1035): one A query at a time to the configured
 * server, from a fresh random port with a random ID, retransmitted with
 * back-off DNS_TRIES times.  A response counts only when it comes from the
 * server's port 53 to our port with our ID.
 */
#include "net/internal/stack.h"

#include "base/errors.h"
#include "base/string.h"

enum {
    DNS_IDLE = 0,
    DNS_WAITING = 1,
    DNS_DONE = 2,
    DNS_FAILED = 3,
    DNS_RETRY_MS = 1000,
    DNS_TRIES = 4,
    DNS_PORT = 53,
};

static void dns_send(net_stack *s)
{
    uint8_t q[12 + NET_DNS_NAME_MAX + 2 + 4];
    int n = net_dns_build_query(q, sizeof(q), s->dns.id, s->dns.name);
    if (n < 0) {
        s->dns.state = DNS_FAILED;
        s->dns.error = n;
        return;
    }
    s->dns.deadline = s->now + ((uint64_t)DNS_RETRY_MS << s->dns.tries);
    s->dns.tries++;
    net_udp_send_raw(s, s->cfg.ip, s->dns.port, s->cfg.dns, DNS_PORT, q, (size_t)n);
}

int net_dns_resolve(net_stack *s, const char *name, uint64_t now)
{
    s->now = now;
    size_t len = strnlen(name, NET_DNS_NAME_MAX + 1);
    if (len == 0 || len > NET_DNS_NAME_MAX) {
        return ZERR_INVAL;
    }
    memset(&s->dns, 0, sizeof(s->dns));
    memcpy(s->dns.name, name, len);
    if (net_ip_parse(name, &s->dns.answer) == 0) {
        s->dns.state = DNS_DONE;
        return 0;
    }
    if (s->cfg.dns == 0 || s->cfg.ip == 0) {
        s->dns.state = DNS_FAILED;
        s->dns.error = ZERR_NOENT;
        return ZERR_NOENT;
    }
    s->dns.id = (uint16_t)net_random32(s);
    s->dns.port = net_ephemeral_port(s, NET_IP_UDP);
    s->dns.state = DNS_WAITING;
    dns_send(s);
    return s->dns.state == DNS_FAILED ? s->dns.error : 0;
}

int net_dns_result(const net_stack *s, uint32_t *ip)
{
    switch (s->dns.state) {
    case DNS_DONE:
        *ip = s->dns.answer;
        return 0;
    case DNS_WAITING:
        return ZERR_AGAIN;
    case DNS_FAILED:
        return s->dns.error;
    default:
        return ZERR_INVAL;
    }
}

bool net_dns_input(net_stack *s, uint16_t dport, const uint8_t *p, size_t n)
{
    if (s->dns.state != DNS_WAITING || dport != s->dns.port) {
        return false;
    }
    uint32_t ip = 0;
    int err = net_dns_parse_response(p, n, s->dns.id, &ip);
    if (err == 0) {
        s->dns.state = DNS_DONE;
        s->dns.answer = ip;
    } else if (err == ZERR_NOENT || err == ZERR_IO) {
        s->dns.state = DNS_FAILED;
        s->dns.error = err;
    }
    return true; /* anything else is not our answer: keep waiting */
}

void net_dns_poll(net_stack *s)
{
    if (s->dns.state != DNS_WAITING || s->dns.deadline > s->now) {
        return;
    }
    if (s->dns.tries >= DNS_TRIES) {
        s->dns.state = DNS_FAILED;
        s->dns.error = ZERR_TIMEOUT;
        return;
    }
    dns_send(s);
}
