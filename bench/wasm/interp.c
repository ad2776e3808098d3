/* A small bytecode interpreter counting primes by trial division. */
#include "common.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JZ, JMP, HALT };

/* registers: r1 i, r2 d, r3 count, r4 limit */
static const int32_t prog[] = {
    PUSH, 2,  STORE, 1,                                /* 0: i = 2 */
    LOAD, 1,  LOAD,  4, LT,   JZ,    59,               /* 4: while i < limit */
    PUSH, 2,  STORE, 2,                                /* 11: d = 2 */
    LOAD, 1,  LOAD,  2, LOAD, 2,     MUL, LT,  JZ, 27, /* 15: if i < d*d */
    JMP,  43,                                          /* 25: then prime */
    LOAD, 1,  LOAD,  2, MOD,  JZ,    50,               /* 27: i % d == 0: composite */
    LOAD, 2,  PUSH,  1, ADD,  STORE, 2,   JMP, 15,     /* 34: d++ */
    LOAD, 3,  PUSH,  1, ADD,  STORE, 3,                /* 43: count++ */
    LOAD, 1,  PUSH,  1, ADD,  STORE, 1,   JMP, 4,      /* 50: i++ */
    HALT,                                              /* 59 */
};

static int32_t run_vm(const int32_t *code, int32_t *reg)
{
    int32_t stack[64];
    int sp = 0;
    int pc = 0;
    for (;;) {
        switch (code[pc]) {
        case PUSH:
            stack[sp++] = code[pc + 1];
            pc += 2;
            break;
        case LOAD:
            stack[sp++] = reg[code[pc + 1]];
            pc += 2;
            break;
        case STORE:
            reg[code[pc + 1]] = stack[--sp];
            pc += 2;
            break;
        case ADD:
            sp--;
            stack[sp - 1] += stack[sp];
            pc++;
            break;
        case SUB:
            sp--;
            stack[sp - 1] -= stack[sp];
            pc++;
            break;
        case MUL:
            sp--;
            stack[sp - 1] *= stack[sp];
            pc++;
            break;
        case MOD:
            sp--;
            stack[sp - 1] %= stack[sp];
            pc++;
            break;
        case LT:
            sp--;
            stack[sp - 1] = stack[sp - 1] < stack[sp];
            pc++;
            break;
        case JZ:
            pc = stack[--sp] == 0 ? code[pc + 1] : pc + 2;
            break;
        case JMP:
            pc = code[pc + 1];
            break;
        default:
            return reg[3];
        }
    }
}

EXPORT uint32_t run(void)
{
    int32_t reg[8] = {0, 0, 0, 0, 25000, 0, 0, 0};
    return (uint32_t)run_vm(prog, reg);
}
