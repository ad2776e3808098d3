/*
 * Zero OS's TCP/IP stack: Ethernet, ARP, IPv4, ICMP echo, UDP, TCP, a DHCP
 * client and a DNS stub resolver, as portable C.
 *
 * Written the way lwIP and smoltcp are: no threads inside, no allocation,
 * no global state.  Everything lives in one struct net_stack the caller
 * allocates (it is large: the TCP buffers are inside); every entry point
 * takes the current time in milliseconds from a clock the caller owns, and
 * the stack sends frames through a callback.  A driver loop is:
 *
 *     net_input(s, frame, len, now)      for each received Ethernet frame
 *     net_poll(s, now)                   when net_next_deadline(s) is due
 *
 * Sockets are named by handles (positive ints) that carry a generation, so
 * a stale handle is refused with ZERR_BADCAP rather than reaching a reused
 * slot: a handle can later travel over IPC as a capability.
 *
 * Authorization: before a TCP connect sends its SYN, before a listener
 * opens and before a UDP port is bound, the stack asks ops->authorize.  The
 * answer 0 means granted and committed; ZERR_AGAIN means the decision is
 * pending (nothing is sent until net_auth_done() grants it); anything else
 * is a refusal and nothing is sent at all.  See docs/net.md.
 *
 * Addresses and ports are in host byte order everywhere in this API.
 * The struct definitions below are public only so the caller can allocate
 * them; their fields are private to lib/net.
 */
#ifndef ZERO_NET_NET_H
#define ZERO_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    NET_MAX_TCP = 16,         /* TCP sockets, listeners included */
    NET_MAX_UDP = 8,          /* UDP sockets */
    NET_TCP_BUF = 65536,      /* send and receive buffer per TCP socket */
    NET_TCP_OOO = 8,          /* out-of-order ranges held per socket */
    NET_UDP_QUEUE = 4,        /* datagrams queued per UDP socket */
    NET_ARP_ENTRIES = 16,     /* ARP cache size */
    NET_MTU = 1500,           /* IPv4 MTU on Ethernet */
    NET_FRAME_MAX = 1514,     /* Ethernet frame without FCS */
    NET_DNS_NAME_MAX = 253,   /* longest DNS name */
    NET_EPHEMERAL_LO = 49152, /* first ephemeral port */
};

typedef struct net_mac {
    uint8_t b[6];
} net_mac;

/* Authorization requests (see the file comment). */
enum net_auth {
    NET_AUTH_CONNECT = 1, /* TCP connect to ip:port */
    NET_AUTH_LISTEN = 2,  /* TCP listen on port */
    NET_AUTH_UDP = 3,     /* UDP bind to port */
};

struct net_ops {
    /* Sends one Ethernet frame (without FCS).  Must not call back into the stack. */
    void (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
    /* Asks for authorization; 0 granted and committed, ZERR_AGAIN pending, else refused. */
    int (*authorize)(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock);
    /* Records an accepted inbound connection (peer address) when its
     * handshake completes, before the application accepts it; listener is
     * the listener's slot; may be NULL. */
    void (*record_accept)(void *ctx, int listener, int sock, uint32_t ip, uint16_t port);
    /* Fills buf with unpredictable bytes (initial sequence numbers, ports, DHCP xid). */
    void (*random)(void *ctx, void *buf, size_t n);
};

struct net_config {
    net_mac mac;
    uint32_t ip; /* 0: run the DHCP client */
    uint32_t netmask;
    uint32_t gateway;       /* 0: none */
    uint32_t dns;           /* 0: none (DHCP may supply one) */
    uint32_t rto_min_ms;    /* 0: RFC 6298's 1000 ms */
    uint32_t msl_ms;        /* maximum segment lifetime; 0: 30000 ms */
    uint32_t drop_permille; /* test builds: drop this share of frames in and out */
};

/* What net_sock_info() reports. */
enum net_tcp_state {
    NET_TCP_CLOSED,
    NET_TCP_LISTEN,
    NET_TCP_SYN_SENT,
    NET_TCP_SYN_RCVD,
    NET_TCP_ESTABLISHED,
    NET_TCP_FIN_WAIT_1,
    NET_TCP_FIN_WAIT_2,
    NET_TCP_CLOSE_WAIT,
    NET_TCP_CLOSING,
    NET_TCP_LAST_ACK,
    NET_TCP_TIME_WAIT,
};

struct net_sock_info {
    enum net_tcp_state state;
    int error; /* ZERR_DENIED, ZERR_TIMEOUT, ZERR_IO (reset) or 0 */
    bool auth_pending;
    uint32_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
    uint32_t readable, writable;
    uint32_t cwnd, ssthresh, rto_ms, snd_wnd, mss;
    uint8_t snd_wscale, rcv_wscale;
};

struct net_counters {
    uint64_t rx_frames, tx_frames, rx_dropped, tx_dropped;
    uint64_t ip_bad, ip_frag_refused, icmp_echo_replied, udp_no_port;
    uint64_t tcp_rst_sent, tcp_retransmits, tcp_fast_retransmits, tcp_timeouts, tcp_bad;
    uint64_t arp_requests, arp_replies;
};

/* ---- private state (allocated by the caller, read only by lib/net) ---- */

struct net_arp_entry {
    uint32_t ip;
    net_mac mac;
    uint8_t state; /* 0 free, 1 pending, 2 resolved */
    uint8_t tries;
    uint64_t deadline; /* expiry (resolved) or next request (pending) */
    uint16_t pending_len;
    uint8_t pending[NET_MTU]; /* one IP packet awaiting resolution */
};

struct net_seq_range {
    uint32_t start, end;
};

struct net_tcb {
    uint8_t state;
    bool used, orphan, auth_pending, accept_ready, fin_queued, ack_now, ws_ok;
    uint8_t snd_wscale, rcv_wscale, dupacks, retries;
    bool in_recovery, rtt_timing, rtt_valid;
    int8_t listener;
    uint16_t backlog;
    uint32_t gen;
    int error;
    uint32_t lip, rip;
    uint16_t lport, rport;
    uint16_t smss;
    uint32_t iss, irs;
    uint32_t snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
    uint32_t cwnd, ssthresh, recover;
    uint32_t srtt, rttvar, rto, rtt_seq;
    uint64_t rtt_start, rto_deadline, persist_deadline, tw_deadline;
    uint32_t persist_backoff;
    uint32_t accept_order;
    uint32_t rcv_nxt, rcv_adv;
    uint32_t sb_seq, sb_head, sb_len;
    uint32_t rb_head, rb_len;
    struct net_seq_range ooo[NET_TCP_OOO];
    uint8_t sndbuf[NET_TCP_BUF];
    uint8_t rcvbuf[NET_TCP_BUF];
};

struct net_udp_dgram {
    uint32_t ip;
    uint16_t port;
    uint16_t len;
    uint8_t data[NET_MTU - 28];
};

struct net_udp_sock {
    bool used, auth_pending;
    uint32_t gen;
    uint16_t port;
    uint8_t head, count;
    struct net_udp_dgram q[NET_UDP_QUEUE];
};

struct net_dhcp {
    uint8_t state; /* enum in dhcp.c */
    uint8_t tries;
    uint32_t xid;
    uint32_t offered, server;
    uint32_t lease_s;
    uint64_t deadline, lease_start;
};

struct net_dns {
    uint8_t state; /* 0 idle, 1 waiting, 2 done, 3 failed */
    uint8_t tries;
    uint16_t id, port;
    uint64_t deadline;
    uint32_t answer;
    int error;
    char name[NET_DNS_NAME_MAX + 1];
};

struct net_ping {
    uint16_t id, seq;
    bool waiting, answered;
    uint64_t sent_at, rtt_ms;
};

typedef struct net_stack {
    struct net_config cfg;
    struct net_ops ops;
    void *ctx;
    uint64_t now;
    uint16_t ip_id, next_port;
    uint32_t accept_counter, drop_state;
    struct net_counters counters;
    struct net_arp_entry arp[NET_ARP_ENTRIES];
    struct net_tcb tcp[NET_MAX_TCP];
    struct net_udp_sock udp[NET_MAX_UDP];
    struct net_dhcp dhcp;
    struct net_dns dns;
    struct net_ping ping;
    uint8_t tx[NET_FRAME_MAX];
} net_stack;

/* ---- the stack -------------------------------------------------------- */

/*
 * Initialises s (every byte) with cfg and ops; ctx is passed to every op.
 * With cfg->ip == 0 the DHCP client starts at the first net_poll().
 * Returns ZERR_INVAL when a required op is missing.
 */
int net_init(net_stack *s, const struct net_config *cfg, const struct net_ops *ops, void *ctx,
             uint64_t now);

/* Processes one received Ethernet frame.  Malformed frames are counted and dropped. */
void net_input(net_stack *s, const uint8_t *frame, size_t len, uint64_t now);

/* Runs every timer that is due at now (retransmission, ARP, DHCP, DNS, TIME-WAIT). */
void net_poll(net_stack *s, uint64_t now);

/* The earliest time net_poll() has work to do, or UINT64_MAX. */
uint64_t net_next_deadline(const net_stack *s);

/* The current address configuration (ip 0 while DHCP has no lease). */
void net_addr(const net_stack *s, uint32_t *ip, uint32_t *netmask, uint32_t *gateway,
              uint32_t *dns);

const struct net_counters *net_counters(const net_stack *s);

/*
 * Completes a pending authorization of sock: granted sends the SYN, opens
 * the listener or binds the port; refused leaves the socket with error
 * ZERR_DENIED and nothing sent.
 */
int net_auth_done(net_stack *s, int sock, bool granted, uint64_t now);

/* ---- TCP sockets ------------------------------------------------------- */

/*
 * Opens a connection to ip:port.  Returns the handle; the SYN leaves only
 * once authorize granted it.  ZERR_DENIED when refused (nothing was sent),
 * ZERR_FULL when no socket is free.
 */
int net_tcp_connect(net_stack *s, uint32_t ip, uint16_t port, uint64_t now);

/* Opens a listener on port with room for backlog pending connections. */
int net_tcp_listen(net_stack *s, uint16_t port, unsigned backlog);

/* Returns an established connection of listener, or ZERR_AGAIN. */
int net_tcp_accept(net_stack *s, int listener);

/*
 * Queues up to len bytes.  Returns the number queued (> 0), ZERR_AGAIN when
 * the buffer is full or the connection is not yet established, or the
 * connection's error (ZERR_IO after a reset, ZERR_PERM after close).
 */
long net_tcp_send(net_stack *s, int sock, const void *buf, size_t len, uint64_t now);

/*
 * Reads up to len bytes.  Returns the number read, 0 at end of stream (the
 * peer closed and everything was read), ZERR_AGAIN when nothing is there yet,
 * or the connection's error.
 */
long net_tcp_recv(net_stack *s, int sock, void *buf, size_t len, uint64_t now);

/*
 * Closes sock: the handle is released at once; queued data still goes out,
 * then a FIN.  Unread received data turns the close into a reset
 * (RFC 9293 3.10.4).  A listener's unaccepted connections are reset.
 */
int net_tcp_close(net_stack *s, int sock, uint64_t now);

/*
 * Sends a FIN after the queued data but keeps receiving (a half close);
 * the handle stays valid until net_tcp_close().
 */
int net_tcp_shutdown(net_stack *s, int sock, uint64_t now);

/*
 * Sends a reset and releases the handle.  Also takes the handle of a
 * connection not yet accepted (as record_accept reported it): the
 * connection is then refused after its handshake.
 */
int net_tcp_abort(net_stack *s, int sock, uint64_t now);

/* What sock is; also for a connection not yet accepted. */
int net_sock_info(const net_stack *s, int sock, struct net_sock_info *out);

/* ---- UDP sockets ------------------------------------------------------- */

/* Binds a UDP socket to port (0: an ephemeral port).  Returns the handle. */
int net_udp_open(net_stack *s, uint16_t port);

/* Sends one datagram (at most NET_MTU - 28 bytes). */
int net_udp_sendto(net_stack *s, int sock, uint32_t ip, uint16_t port, const void *buf, size_t len,
                   uint64_t now);

/* Receives one datagram; returns its length (cut to cap) or ZERR_AGAIN. */
long net_udp_recvfrom(net_stack *s, int sock, void *buf, size_t cap, uint32_t *ip, uint16_t *port);

int net_udp_close(net_stack *s, int sock);

/* ---- ICMP echo, DNS ------------------------------------------------------ */

/* Sends an echo request to ip; net_ping_result() reports the reply. */
int net_ping(net_stack *s, uint32_t ip, uint16_t seq, uint64_t now);

/* 0 and the round-trip time once the reply to the last ping came, else ZERR_AGAIN. */
int net_ping_result(const net_stack *s, uint64_t *rtt_ms);

/* Starts resolving name (an A record) through the configured DNS server. */
int net_dns_resolve(net_stack *s, const char *name, uint64_t now);

/* 0 and the address once resolved, ZERR_AGAIN while waiting, else the error. */
int net_dns_result(const net_stack *s, uint32_t *ip);

/* Parses a dotted quad ("10.0.2.15") into *ip; ZERR_INVAL when it is not one. */
int net_ip_parse(const char *text, uint32_t *ip);

#endif
