/*
 * Content-defined chunking, FastCDC style (Xia et al., USENIX ATC 2016):
 * a gear hash rolls over the bytes after the minimum chunk size and a chunk
 * ends where the hash's top bits are zero, with a stricter mask before the
 * average size and a looser one after it (normalized chunking).
 */
#include "services/cas/cas.h"

/* BLAKE3 extended output of "Zero OS 2026 FastCDC gear table v1", 2048
 * bytes, read as 256 little-endian 64-bit words (docs/formats.md). */
static const uint64_t gear[256] = {
    0xe6e402a892935229ull, 0x8ff3d1e0b21beb48ull, 0x02039e817756c357ull, 0x975cc5b8f1dbcf45ull,
    0xc1040bfb97ad82abull, 0x0ce5556f259f0645ull, 0x6517a1dbff35a133ull, 0x3c31c54d17ebb756ull,
    0xe8fba37c5344b7e1ull, 0xc1200df456be37afull, 0xb936ff4521a02838ull, 0xa5d9af52faff32a9ull,
    0x8259c363f03f0e69ull, 0x4f93ca82fc495effull, 0x75d59450d48e009aull, 0x76b7e17d083b0aa7ull,
    0xdbf5ecf5a62d89ffull, 0x1cb5f21f0721362aull, 0x91f524d22e8f6130ull, 0x4228eb497e3a927cull,
    0x1617f287f3df611aull, 0x82d178bc309b752dull, 0x8767431b369ebf96ull, 0x5672c05ca030df8cull,
    0xa5acf8ba06f9ba1full, 0x903bf4bc1b074b4cull, 0xce68aa69d630091aull, 0x247a0ecb40edd236ull,
    0xb3faa6cfaf88b640ull, 0x67f2317959aa0b62ull, 0x7b05cfa701724fd3ull, 0x9d8f013a975da0f2ull,
    0xbe9d61b3e81c561dull, 0x4103d280ad686c88ull, 0x148c940988f55ba9ull, 0xf410e2f0fa66210eull,
    0x0eeeb8c1b9d4d277ull, 0x0ead0eb5c28461fdull, 0x4d70fdfa625f7633ull, 0x6b3bc6d1c90a0830ull,
    0x85ced3603944ade1ull, 0x940426883a564d09ull, 0xe6384deb534113feull, 0x25b874b064121461ull,
    0x98447921192caf8cull, 0xe1bd1918b1d81ceaull, 0xc59309347f53fda9ull, 0x963852011033f2d2ull,
    0x9f8121375ca9b0a9ull, 0x97c81385a05a1e92ull, 0x587b49bb5cbade7bull, 0xa07e07bcc1ba6c19ull,
    0x8dc3ff1b7ae1ddd7ull, 0x0b59821b6d32ae89ull, 0x0f407fe577542a5full, 0x6798e6958e9d5ca8ull,
    0xf21989d4be171b6aull, 0xaa9c852fc0078cf8ull, 0xf5075c5ebbade299ull, 0x1a24960ef87254a2ull,
    0x868a4ddfcbf7cdb4ull, 0x193ba482614dccfaull, 0xc39bd84d1f1e50d5ull, 0x24b4d4ea5c7aeb4bull,
    0xd5e09002240dc88bull, 0xd010ba3fbd9fb416ull, 0x0db5c20240e2006bull, 0x9126d97a036ea0f3ull,
    0x0d9df41364528918ull, 0x49fdb7ea103e8a01ull, 0x70275006b17a93f2ull, 0xccb3e3af8f1fc2f5ull,
    0xd0988902499cbe88ull, 0x10182a1c538641c9ull, 0x6125aa5079df4ba1ull, 0x6e408f84c7408eaeull,
    0x1348fc25a25eb1c5ull, 0x01c4a270fd546b8eull, 0x85c374487b01023bull, 0x5f4e9b649586f268ull,
    0xbc9f479488859621ull, 0x28bbe9e2f6b3d02full, 0x3d1b615bdbcfe21aull, 0x02c8046eb7d6529full,
    0xee4eb359a328e272ull, 0x3c1e239fbfff8186ull, 0x745bd45d10eacf3cull, 0x398de6d0dc2688e8ull,
    0xc9d59a8ee3e952c3ull, 0x55ae9a9fe3a7888aull, 0x06ee5789220ba081ull, 0x5ab0941a262abc81ull,
    0x2bf8cf0e7a45cd18ull, 0x5dce2ebec21513eeull, 0xd7f762bdd9203f0cull, 0xf1784d8321e75941ull,
    0xb186660163ed2463ull, 0x060316f8ef5e523dull, 0x70946de75b749367ull, 0x95256361af9d982bull,
    0xffe4d366bcfbcbdaull, 0x45be2db71bc77b80ull, 0xb822f415c13c049dull, 0xa03ba09311e91d1full,
    0xe8c2a97acd77c814ull, 0x3bc72df3ce548a29ull, 0xaaf5e39757189dadull, 0x3bf321454417b57bull,
    0x3c0fc6d02965fe0full, 0x888bfa23d83aa602ull, 0xe24a219addd3e6f1ull, 0x1eb7f9462fffd20cull,
    0xae4767774af59f71ull, 0xc96a388752d21bb4ull, 0xe58d78030d4e859dull, 0xd42a17b29c3a555eull,
    0xbd7aca297481c13bull, 0x32027c70f09ba227ull, 0xac2eb1d509f500d3ull, 0xd56108707bba07c3ull,
    0x657826f3a867c107ull, 0xba3b5693ef7ebd30ull, 0x7edb5834e417c185ull, 0x450eff532d174476ull,
    0xd97963e96775a444ull, 0x0c3ec4592aa6e9dbull, 0x8ac7bb9066dee678ull, 0xbaf4f2e2853a09cbull,
    0xd7a97053f56fe37full, 0xf0d3e0e844ff70acull, 0x584bcccf3f42b588ull, 0xecf5f10007fed5caull,
    0x8ef51fb3326402e2ull, 0xec7e4a5e770855bfull, 0xba9d3e5ec7c3111full, 0x5d4787bbe9ce1c04ull,
    0x0a6c51414ec0b145ull, 0x339707be1f1e7c1aull, 0x351f2a2e56248dcbull, 0x3abd8e7bc36202b5ull,
    0x03057a73b9d4ca9aull, 0x384cde5ab2926be8ull, 0x99aa1f88f5f1b3c4ull, 0x2c19dda88fee5b90ull,
    0x78071c73bbe19384ull, 0x05c33816336cb2e1ull, 0x189f3cd37aa34f7bull, 0x0bd9771d703a58eaull,
    0x4f521705d3073cb1ull, 0x75af2ac34195ccb5ull, 0x5792e77480159b5aull, 0x19f40fc8a328ed27ull,
    0x07e2067c830f8428ull, 0xdc33da93e2d99dc6ull, 0xffff805ffbdc6fcaull, 0x8ec6f3cf39a6536full,
    0x8e4cc8f07010b41aull, 0x37bcd604e2ac6529ull, 0x1ddbd2492b6399f5ull, 0x9c2ee4102850e4dfull,
    0x72ede19ebd2529daull, 0x24299dc677a10219ull, 0x74d2ca91f2a3cf43ull, 0x3ec07bfb4b4aac9bull,
    0x651eab379f11fc00ull, 0xb353846d498436a4ull, 0x58ae1a4513facc07ull, 0x7cc920da877f758aull,
    0xd1f9d5544c261986ull, 0xbed3abedb4f4f526ull, 0x68eb56be723df717ull, 0x7efbd81163033f8eull,
    0xfc6fe8271b93c42aull, 0xc884142f0a284e2aull, 0x413a17fabbc55f88ull, 0xc5e897ae0fa5e1d5ull,
    0x8e3d3b8fa665aadcull, 0xdcc0203de9536c29ull, 0xecfaffeb0b5e120aull, 0x384706614b5769d7ull,
    0x29bf985a7742dfffull, 0xb89483237741d181ull, 0x69064a8c9e3e915eull, 0xbec0464ecce2ee8dull,
    0x84e774c66f982174ull, 0xe559bb5550c78d43ull, 0x3ae8c71148382adfull, 0x864aec873c697defull,
    0x8ebf02ff40e54422ull, 0xbc6a233b81b67aebull, 0x679b594e135374c7ull, 0xa4b00b1b1adb9702ull,
    0x57e8e14918b877fdull, 0x8ded71040317ece5ull, 0x8cb4a8ce72adfa65ull, 0x42bff553ba3866e8ull,
    0x643cde2b994c353aull, 0x14b9c68828eac5eaull, 0xf1fde1b499d4a459ull, 0xa0f5759ce579c9c0ull,
    0x903fa19a24ff7560ull, 0xa3648e70ecf77134ull, 0x5ce762efff9107fbull, 0x2b3edb21052798acull,
    0x994c4e530cf777fcull, 0xeaa28d8ff3043690ull, 0x83a3945eaef7ad5full, 0x46c19e794b67d314ull,
    0xdb57222315c90b9dull, 0xd9a3eb4c71020417ull, 0x38df22223d366176ull, 0x2a6f3ea735143714ull,
    0xa7392e9c28ee95a0ull, 0x455e6ec3b0801bf4ull, 0x0f6bf776f0a4fa76ull, 0x0edfab1497382ac2ull,
    0x71c396aa1174af3bull, 0xc12e4ea777f25d7dull, 0xf0eb82097651dc27ull, 0xf92033350fe70d44ull,
    0xf7608f4bc0ab0ec9ull, 0xec5217dd8915bb4bull, 0x150efa0151125ee7ull, 0x5775bf023d89a154ull,
    0xe334c44708301008ull, 0xcf6b2184ef7896a7ull, 0x01ee856e4ff2348aull, 0xe2a1e947581bb0adull,
    0xe4e550b4e346abadull, 0x78cdae69e051728dull, 0xefbdcb3029bb8f4full, 0x525674dc2116c3f5ull,
    0xb238a6ea9b18b298ull, 0x7856e70ea3d8073cull, 0xa7dfe98a0f032404ull, 0xe2069dcc1b397741ull,
    0x36a3425675efa377ull, 0xa44048c9926cb615ull, 0xc456e4a288304b5dull, 0x5aa74b0b9fe44573ull,
    0xf6a6473a4b9630deull, 0xb9df2e94b9fa68d9ull, 0x2b0fa762d7d19937ull, 0x570afdeb707e20c6ull,
    0x256e69adc89969b7ull, 0x07cbc4c6b5609c18ull, 0xaa2b94468ee97e50ull, 0xc2f3c967109681e7ull,
    0x97e39f551ff6c6bdull, 0xc1bcfaf9b01ba4bfull, 0xab78edf612015799ull, 0x9c84e5bebd943d4bull,
    0x4ccc8a38d2b0ba1full, 0x20a7efeabae1034full, 0x1cc447d64679c09eull, 0xa200dc4e6f9ee342ull,
};

const uint64_t *cas_gear_table(void)
{
    return gear;
}

/* Rolls the hash over p[*i .. end) looking for a position where the bits
 * of mask are zero; returns the cut (the length up to and including that
 * byte) or 0, leaving *i and *fp where it stopped.  Two bytes per step:
 * h2 = (h << 2) + ((G[a] << 1) + G[b]) is the same value as two single
 * steps (mod 2^64) with half the dependent operations, and the hash after
 * the first byte is computed beside it to test that position too. */
static size_t cas_roll(const uint8_t *p, size_t *i, size_t end, uint64_t *fp, uint64_t mask)
{
    uint64_t h = *fp;
    size_t k = *i;

    for (; k + 1 < end; k += 2) {
        uint64_t one = (h << 1) + gear[p[k]];
        h = (h << 2) + ((gear[p[k]] << 1) + gear[p[k + 1]]);
        if (((one & mask) == 0) | ((h & mask) == 0)) {
            return (one & mask) == 0 ? k + 1 : k + 2;
        }
    }
    if (k < end) {
        h = (h << 1) + gear[p[k]];
        if ((h & mask) == 0) {
            return k + 1;
        }
        k++;
    }
    *i = k;
    *fp = h;
    return 0;
}

size_t cas_chunk_cut(const uint8_t *p, size_t n)
{
    size_t i = CAS_CHUNK_MIN, normal = CAS_CHUNK_AVG, cut;
    uint64_t fp = 0;

    if (n <= CAS_CHUNK_MIN) {
        return n;
    }
    if (n > CAS_CHUNK_MAX) {
        n = CAS_CHUNK_MAX;
    }
    if (n < normal) {
        normal = n;
    }
    cut = cas_roll(p, &i, normal, &fp, CAS_MASK_SMALL);
    if (cut == 0) {
        cut = cas_roll(p, &i, n, &fp, CAS_MASK_LARGE);
    }
    return cut != 0 ? cut : n;
}
