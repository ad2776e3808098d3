#!/usr/bin/env python3
"""A DNS server for tests: answers A queries for the names given on the
command line (NAME=A.B.C.D) and NXDOMAIN for every other name.

    dns_stub.py ADDR PORT NAME=IP...
"""
import socket
import struct
import sys


def qname(msg, off):
    labels = []
    while msg[off] != 0:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n
    return ".".join(labels).lower(), off + 1


def answer(msg, names):
    qid, _flags, qd = struct.unpack(">HHH", msg[:6])
    if qd != 1:
        return None
    name, end = qname(msg, 12)
    qtype, _qclass = struct.unpack(">HH", msg[end:end + 4])
    question = msg[12:end + 4]
    ip = names.get(name)
    if ip is None or qtype != 1:
        rcode = 3 if ip is None else 0
        return struct.pack(">HHHHHH", qid, 0x8180 | rcode, 1, 0, 0, 0) + question
    rr = struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(ip)
    return struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + rr


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    names = dict(a.lower().split("=", 1) for a in sys.argv[3:])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        msg, peer = s.recvfrom(512)
        try:
            reply = answer(msg, names)
        except (IndexError, struct.error):
            reply = None
        if reply is not None:
            s.sendto(reply, peer)


if __name__ == "__main__":
    main()
