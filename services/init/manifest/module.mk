# services/init/manifest: the signed boot manifest (docs/boot.md): its codec,
# shared by init (x86_64), the host tool (zero manifest) and zero verify --image.
LIBS += manifest
manifest_SRCS := services/init/manifest/manifest.c
manifest_LIBS := cbor crypto base
zero_CMD_LIBS += manifest

TESTS += init_manifest
init_manifest_SRCS := tests/services/init/manifest_test.c
init_manifest_LIBS := manifest cbor crypto base hal

FUZZERS += boot_manifest
boot_manifest_SRCS := fuzz/boot_manifest.c
boot_manifest_LIBS := manifest cbor crypto base hal
boot_manifest_CORPUS := fuzz/corpus/boot_manifest

# zero manifest build|sign|show, and a tampered ISO refused at boot.
SCRIPT_TESTS += tests/tools/zero_manifest.t tests/system/boot_manifest.t
