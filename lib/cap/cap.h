/*
 * Capabilities: the one authority mechanism of Zero OS.
 *
 * Every kernel object (endpoint, notification, address space, thread, frame,
 * IRQ, I/O-port range) is reached only through a capability held in the
 * caller's capability space (cspace).  A cspace is an array of slots; user
 * code names a capability by its slot index, the handle.
 *
 * Rules (the same on every platform; the hosted service runtime makes exactly
 * these checks before dispatching a message):
 *
 *  - lookup: a handle is valid when it indexes a non-empty slot.  An
 *    operation names the object type it needs and the rights it needs; a
 *    wrong type or an empty slot is ZERR_BADCAP, a missing right ZERR_PERM.
 *  - derive: a capability may be copied into any cspace with a subset of its
 *    rights (never more).  The copy becomes a child of the source in the
 *    derivation tree, which spans cspaces.  An unbadged endpoint or
 *    notification capability may be given a badge once; a badged one keeps
 *    its badge forever.  Derivation depth is limited to CAP_MAX_DEPTH.
 *  - delete: empties one slot.  Its children move up to its parent, so that
 *    revoking an ancestor still reaches them.
 *  - revoke: deletes every capability derived, directly or not, from the
 *    named one, in every cspace; the named one stays.
 *
 * Nothing here allocates: the caller provides the slot array of each cspace.
 * Functions are not thread-safe: the caller holds the lock that guards all
 * derivation trees (the kernel's cap lock) across each call.  Removed
 * capabilities are reported through an optional release callback so that the
 * owner of the objects can drop references; the callback must not call back
 * into this module.
 */
#ifndef ZERO_KERNEL_CAP_H
#define ZERO_KERNEL_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Object types.  The numbers cross the syscall boundary: never renumber. */
enum cap_type {
    CAP_NULL = 0, /* empty slot */
    CAP_ENDPOINT = 1,
    CAP_NOTIFICATION = 2,
    CAP_ASPACE = 3,
    CAP_THREAD = 4,
    CAP_FRAME = 5,
    CAP_IRQ = 6,
    CAP_IOPORT = 7,
    CAP_TYPE_COUNT
};

/* Pass as the wanted type to cap_lookup to accept any non-empty slot. */
#define CAP_TYPE_ANY 0xffu

/*
 * Rights.  READ: receive on an endpoint, wait on a notification, map a frame
 * readable.  WRITE: send or call, signal, map writable, modify a thread or
 * address space.  EXEC: map a frame executable.  GRANT: transfer capabilities
 * through an endpoint.
 */
#define CAP_RIGHT_READ 0x1u
#define CAP_RIGHT_WRITE 0x2u
#define CAP_RIGHT_EXEC 0x4u
#define CAP_RIGHT_GRANT 0x8u
#define CAP_RIGHTS_ALL 0xfu

/* Longest chain of derivations from an original capability. */
#define CAP_MAX_DEPTH 32u

/* Pass as a destination handle to let cap_insert / cap_derive pick a free slot. */
#define CAP_SLOT_ANY UINT32_MAX

/* The value of one capability. */
struct cap {
    uint32_t type;   /* enum cap_type */
    uint32_t rights; /* CAP_RIGHT_* mask */
    uint64_t badge;  /* 0: unbadged; delivered to the receiver of an IPC */
    uintptr_t obj;   /* opaque object reference (kernel pointer or service id) */
};

struct cap_space;

/* One slot.  Fields other than cap are the derivation tree: do not touch. */
struct cap_slot {
    struct cap cap;
    struct cap_space *space;
    struct cap_slot *parent;
    struct cap_slot *first_child;
    struct cap_slot *next_sibling;
    struct cap_slot *prev_sibling;
    uint32_t depth; /* 0 for an original capability */
};

/* A capability space: a caller-provided slot array. */
struct cap_space {
    struct cap_slot *slots;
    uint32_t nslots;
    uint32_t used;      /* non-empty slots */
    uint32_t next_free; /* search hint for CAP_SLOT_ANY */
    uint32_t owner;     /* owner id (process id), for reports */
};

/*
 * Called for each capability removed by cap_delete, cap_revoke or
 * cap_space_clear, after it has left its slot.  cs and handle say where it was.
 */
typedef void (*cap_release_fn)(void *arg, struct cap_space *cs, uint32_t handle,
                               const struct cap *removed);

/* Makes cs an empty cspace over slots[0 .. nslots-1] (nslots < 2^31). */
void cap_space_init(struct cap_space *cs, struct cap_slot *slots, uint32_t nslots, uint32_t owner);

/*
 * Places an original capability (the root of a new derivation tree, made when
 * the object is created) in slot handle, or in a free slot if handle is
 * CAP_SLOT_ANY.  Returns the handle (>= 0), ZERR_INVAL for a bad type or
 * rights, ZERR_RANGE for a handle outside the cspace, ZERR_EXIST if the slot is
 * taken, or ZERR_FULL.
 */
int cap_insert(struct cap_space *cs, uint32_t handle, const struct cap *c);

/*
 * The capability check.  Finds handle in cs and checks that it has type want
 * (or want is CAP_TYPE_ANY) and every right in need.  On success stores a
 * pointer to the capability (valid until the slot changes) in *out if out is
 * not NULL and returns 0.  Returns ZERR_BADCAP for a handle out of range, an
 * empty slot or a wrong type, ZERR_PERM for a missing right.
 */
int cap_lookup(const struct cap_space *cs, uint32_t handle, uint32_t want, uint32_t need,
               const struct cap **out);

/*
 * Derives a copy of src_cs[src] into dst_cs (slot dst, or a free one if dst is
 * CAP_SLOT_ANY) with rights src.rights & rights_mask.  badge 0 keeps the
 * source's badge; a non-zero badge is allowed only on an unbadged endpoint or
 * notification capability.  src_cs and dst_cs may be the same.  Returns the
 * new handle, or ZERR_BADCAP (no source), ZERR_RANGE / ZERR_EXIST / ZERR_FULL
 * (destination), ZERR_INVAL (badge on a type without badges), ZERR_PERM
 * (re-badging), ZERR_LIMIT (depth).
 */
int cap_derive(struct cap_space *src_cs, uint32_t src, struct cap_space *dst_cs, uint32_t dst,
               uint32_t rights_mask, uint64_t badge);

/*
 * Empties slot handle of cs; its children become children of its parent.
 * Calls release (if not NULL) for the removed capability.  Returns 0 or
 * ZERR_BADCAP.
 */
int cap_delete(struct cap_space *cs, uint32_t handle, cap_release_fn release, void *arg);

/*
 * Deletes every capability derived from cs[handle], in any cspace, calling
 * release for each.  cs[handle] itself stays.  Returns the number removed
 * (>= 0) or ZERR_BADCAP.
 */
int cap_revoke(struct cap_space *cs, uint32_t handle, cap_release_fn release, void *arg);

/*
 * Deletes every capability in cs (process exit).  Capabilities derived from
 * them elsewhere survive, re-parented as cap_delete does.
 */
void cap_space_clear(struct cap_space *cs, cap_release_fn release, void *arg);

/* Number of capabilities derived (directly or not) from cs[handle]; 0 if empty. */
uint32_t cap_descendants(const struct cap_space *cs, uint32_t handle);

/* True if the type can carry a badge (endpoint, notification). */
bool cap_type_badgeable(uint32_t type);

/* Name of a type ("endpoint"), or "invalid". */
const char *cap_type_name(uint32_t type);

#endif
