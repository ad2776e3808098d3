/*
 * TAP and message-descriptor frame transports (see transport.h).
 */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/errors.h"

int net_transport_tap(struct net_transport *t, const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT || errno == ENODEV ? ZERR_UNSUPPORTED : ZERR_IO;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (strlen(name) >= sizeof(ifr.ifr_name)) {
        close(fd);
        return ZERR_INVAL;
    }
    memcpy(ifr.ifr_name, name, strlen(name));
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        close(fd);
        return ZERR_IO;
    }
    t->fd = fd;
    return 0;
}

void net_transport_fd(struct net_transport *t, int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    t->fd = fd;
}

void net_transport_send(struct net_transport *t, const uint8_t *frame, size_t len)
{
    ssize_t n;
    do {
        n = write(t->fd, frame, len);
    } while (n < 0 && errno == EINTR);
}

long net_transport_recv(struct net_transport *t, uint8_t *buf, size_t cap)
{
    ssize_t n;
    do {
        n = read(t->fd, buf, cap);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : ZERR_IO;
    }
    return (long)n;
}
