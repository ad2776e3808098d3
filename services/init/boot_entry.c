/* The node's side of a measured boot (boot_entry.h). */
#include "services/init/boot_entry.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"

static const struct ax_boot *console_boot;

void node_console_set_boot(const struct ax_boot *b)
{
    console_boot = b;
}

int node_record_boot(struct node *n, const struct ax_boot *b, uint64_t *seq, char *why,
                     size_t whycap)
{
    struct ax_boot next = *b;
    struct ax_action a;
    struct policy_decision d;
    uint8_t payload[AX_BOOT_PAYLOAD_MAX];
    uint8_t hash[AX_HASH_LEN];
    struct axiom *ax = &n->axiom.ax;

    next.number = ax->st->boots.count + 1;
    int err = ax_boot_action(&next, ax->st->node, payload, sizeof(payload), &a);
    if (err != 0) {
        zfmt_snprintf(why, whycap, "the boot record does not encode (%s)", zerr_name(err));
        return err;
    }
    err = axiom_propose(ax, &a, &d, seq, hash, why, whycap);
    if (err == 0) {
        err = axiom_commit(ax);
        if (err != 0) {
            zfmt_snprintf(why, whycap, "cannot write the boot entry: %s", zerr_text(err));
        }
    }
    return err;
}

void node_console_record_boot(struct node *n)
{
    char line[200];
    char why[160] = "";
    uint64_t seq = 0;

    if (console_boot == NULL) {
        return;
    }
    int err = node_record_boot(n, console_boot, &seq, why, sizeof(why));
    if (err != 0) {
        zfmt_snprintf(line, sizeof(line), "boot: not recorded: %s (%s)\n", why, zerr_name(err));
    } else {
        zfmt_snprintf(line, sizeof(line),
                      "axiom: boot #%llu recorded as entry %llu (%u cpus, %u images)\n",
                      (unsigned long long)n->axiom.ax.st->boots.count, (unsigned long long)seq,
                      (unsigned)console_boot->cpus, (unsigned)console_boot->nimages);
    }
    hal_console_write(line, strlen(line));
}
