# drivers/virtio-net: the user-space virtio-net driver (legacy virtio-pci,
# split virtqueues) and the driver process that serves it over the service
# runtime's x86_64 channel (server.h).
ifeq ($(PLATFORM),x86_64)
LIBS += vnet_server
vnet_server_SRCS := drivers/virtio-net/virtio_net.c drivers/virtio-net/server.c
vnet_server_LIBS := svcrt_x86 zuser base hal
endif
