/*
 * svcbench: the Axiom's submit round trip in instructions, across
 * processes against in one process (docs/services.md).  Run under QEMU
 * with -icount shift=0 (bench/svc_submit.sh), where rdtsc advances by one
 * per retired guest instruction.
 *
 * In one process: a node on a memory disk in this process, a note
 * submitted by axiom_submit through the terminal's capability (encode,
 * rt_call, the Axiom's handler, propose, commit, decode).  Across
 * processes: the same, with the Axiom (and its key service) in another
 * process started from this image, reached through the generic forwarder
 * (rtx_forward) and served by the generic loop (rtx_serve_rt).  Each
 * figure is the median of BATCHES batches of SUBMITS notes; prints
 * "zero: NAME VALUE" lines.
 *
 * Then `id create` at the terminal in one process: a node on the
 * virtio-blk disk disk0 (a memory disk when there is none), its key
 * service in this process too, and the terminal's own command run exactly
 * as `time id create NAME` runs it at the x86_64 terminal (tokenized, then
 * the command's function, timed); the median of ID_CREATES creates after
 * ID_WARM, as "zero: id_create_in_process N".  bench/svc_submit.sh times
 * the same command at the terminal of the split system.
 */
#include "base/fmt.h"
#include "base/string.h"
#include "bench/median.h"
#include "hal/hal.h"
#include "services/init/node.h"
#include "services/terminal/shell.h"
#include "services/terminal/terminal.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define BATCHES 15
#define SUBMITS 10
#define DISK_BYTES (4u * 1024u * 1024u)
#define SERVE_VA 0x0000600000000000ull
#define CLIENT_VA 0x0000610000000000ull
#define ID_WARM 2
#define ID_CREATES 9

int zero_main(uint64_t arg);

/* A node on a fresh memory disk in this process; 0 or a ZERR_* code. */
static int start_node(struct node *n, struct blk *dev)
{
    char why[200];
    uint8_t *mem = hal_page_alloc(DISK_BYTES / HAL_PAGE_SIZE);
    if (mem == NULL) {
        return -2;
    }
    blk_open_mem(dev, mem, NULL, DISK_BYTES);
    return node_start(n, dev, "root", why, sizeof(why));
}

/* Median instructions per submit through handle h of caller in rt. */
static uint64_t bench_submit(struct rt *rt, uint32_t caller, uint32_t h)
{
    uint64_t samples[BATCHES];
    struct ax_action a;
    struct axiom_result res;
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    memcpy(a.proposer, "root", 5);
    a.data = (const uint8_t *)"a note of some length for the benchmark";
    a.data_len = strlen((const char *)a.data);
    for (int i = 0; i < 5; i++) {
        axiom_submit(rt, caller, h, &a, &res);
    }
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = zero_rdtsc();
        for (int i = 0; i < SUBMITS; i++) {
            if (axiom_submit(rt, caller, h, &a, &res) != 0) {
                zprintf("svcbench: submit failed: %s\n", res.why);
                return 0;
            }
        }
        samples[b] = (zero_rdtsc() - t0) / SUBMITS;
    }
    return bench_median(samples, BATCHES);
}

/* The Axiom's process: a node of its own, its Axiom served over the runtime channel. */
/* `id create` at a terminal of node n, in this process (see the top). */
static uint64_t bench_id_create(struct node *n)
{
    static struct term term;
    uint64_t samples[ID_CREATES];
    const struct term_cmd *cmd = NULL;

    term_init(&term, shell_cmds, shell_ncmds, &n->shell);
    for (size_t i = 0; i < shell_ncmds && cmd == NULL; i++) {
        cmd = strcmp(shell_cmds[i].name, "id") == 0 ? &shell_cmds[i] : NULL;
    }
    for (int i = 0; cmd != NULL && i < ID_WARM + ID_CREATES; i++) {
        char line[48];
        char *argv[8];
        int argc = 0;
        zfmt_snprintf(line, sizeof(line), "id create bench%d", i);
        if (term_tokenize(line, argv, 8, &argc) != 0) {
            return 0;
        }
        uint64_t t0 = zero_rdtsc();
        int err = cmd->run(&term, argc, argv);
        uint64_t d = zero_rdtsc() - t0;
        if (err != 0) {
            zprintf("svcbench: id create failed: %d\n", err);
            return 0;
        }
        if (i >= ID_WARM) {
            samples[i - ID_WARM] = d;
        }
    }
    return cmd != NULL ? bench_median(samples, ID_CREATES) : 0;
}

static int run_server(void)
{
    static struct node n;
    static struct blk dev;
    if (start_node(&n, &dev) != 0) {
        return 2;
    }
    return rtx_serve_rt(ZERO_SLOT_EP, SERVE_VA, axiom_handle, &n.axiom);
}

int zero_main(uint64_t arg)
{
    static struct node local;
    static struct blk dev;
    static struct rt rt;
    static struct rtx_chan chan;
    static struct rtx_proxy px;
    static int self_id;

    if (arg == 1) {
        return run_server();
    }
    if (start_node(&local, &dev) != 0) {
        zprintf("svcbench: no node\n");
        return 2;
    }
    uint64_t in_process = bench_submit(&local.rt, local.sid_term, local.shell.h_axiom);

    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    struct zsys r = {SYS_SPAWN, 0, 1, (uint64_t)ep, ZERO_CAP_NONE, 0, 0};
    zsys_raw(&r);
    int64_t cep =
        zsys4(SYS_CAP_DERIVE, (uint64_t)ep, ZERO_SLOT_ANY, CAP_RIGHT_WRITE | CAP_RIGHT_GRANT,
              RTX_BADGE(1, AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ));
    if ((int64_t)r.rax < 0 || cep < 0 || rtx_open(&chan, (uint64_t)cep, CLIENT_VA) != 0) {
        zprintf("svcbench: no server process\n");
        return 2;
    }
    px = (struct rtx_proxy){&chan, (uint64_t)cep};
    rt_init(&rt);
    int ax = rt_register(&rt, "axiom", &px, rtx_forward);
    self_id = rt_register(&rt, "bench", &px, rtx_forward);
    int h = rt_grant(&rt, (uint32_t)ax, (uint32_t)self_id, CAP_RIGHT_WRITE, 0);
    uint64_t across = bench_submit(&rt, (uint32_t)self_id, (uint32_t)h);
    zprintf("zero: submit_in_process %llu\n", (unsigned long long)in_process);
    zprintf("zero: submit_across_processes %llu\n", (unsigned long long)across);
    zsys3(SYS_THREAD_KILL, r.rax, 0, 0);

    static struct node idn;
    static struct blk iddev;
    char why[200];
    bool disk = blk_open(&iddev, "disk0", 0) == 0;
    if (!disk) {
        uint8_t *mem = hal_page_alloc(DISK_BYTES / HAL_PAGE_SIZE);
        if (mem == NULL) {
            return 2;
        }
        blk_open_mem(&iddev, mem, NULL, DISK_BYTES);
    }
    if (node_start(&idn, &iddev, "root", why, sizeof(why)) != 0) {
        zprintf("svcbench: no node for id create: %s\n", why);
        return 2;
    }
    zprintf("zero: id_create_in_process %llu (%s)\n", (unsigned long long)bench_id_create(&idn),
            disk ? "virtio-blk disk0" : "memory disk");
    return 0;
}
