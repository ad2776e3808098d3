/*
 * The terminal's file commands (services/terminal/fs_cmds.c): ls, cat,
 * put, append, cp, rm, mv, mkdir, rmdir, stat, hash, df, fs gc, quota.
 * SHELL_FS_CMDS is their rows of the command table.
 */
#ifndef ZERO_SERVICES_TERMINAL_FS_CMDS_H
#define ZERO_SERVICES_TERMINAL_FS_CMDS_H

#include "services/terminal/terminal.h"

int cmd_ls(struct term *t, int argc, char **argv);
int cmd_cat(struct term *t, int argc, char **argv);
int cmd_put(struct term *t, int argc, char **argv);
int cmd_cp(struct term *t, int argc, char **argv);
int cmd_fs_change(struct term *t, int argc, char **argv);
int cmd_stat(struct term *t, int argc, char **argv);
int cmd_hash(struct term *t, int argc, char **argv);
int cmd_df(struct term *t, int argc, char **argv);
int cmd_fs(struct term *t, int argc, char **argv);

#define SHELL_FS_CMDS                                                                             \
    {"ls", "ls [PATH]", "list a directory (default /)", cmd_ls},                                  \
        {"cat", "cat PATH", "print a file (every chunk verified)", cmd_cat},                      \
        {"put", "put PATH",                                                                       \
         "write a file from the lines that follow, up to a line '.' (an entry)", cmd_put},        \
        {"append", "append PATH", "add the lines that follow, up to '.', to a file (an entry)",   \
         cmd_put},                                                                                \
        {"cp", "cp FROM TO", "copy a file (its content read verified; an entry)", cmd_cp},        \
        {"rm", "rm PATH", "remove a file (an entry)", cmd_fs_change},                             \
        {"mv", "mv FROM TO", "move a file or directory (an entry)", cmd_fs_change},               \
        {"mkdir", "mkdir PATH", "make a directory (an entry)", cmd_fs_change},                    \
        {"rmdir", "rmdir PATH", "remove an empty directory (an entry)", cmd_fs_change},           \
        {"quota", "quota PRINCIPAL BYTES", "limit the bytes a principal's files hold (an entry)", \
         cmd_fs_change},                                                                          \
        {"stat", "stat PATH", "kind, size, owner, mode, content hash, last entry", cmd_stat},     \
        {"hash", "hash PATH", "the file's BLAKE3 hash, as b3sum prints it", cmd_hash},            \
        {"df", "df", "space of the file store", cmd_df},                                          \
    {                                                                                             \
        "fs", "fs gc", "reclaim content no file names", cmd_fs                                    \
    }

#endif
