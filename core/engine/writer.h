/* SPDX-License-Identifier: Apache-2.0 */
/* writer.h - writing an output tree: the files (writer.c) and the directory
 * they go into, opened once and walked without following links (outdir.c). */
#ifndef PG_WRITER_H
#define PG_WRITER_H

#include "run.h"

/* Write even into "/", the home directory or a non-empty directory that
 * holds no paygen output (paygen --force-output). */
#define PG_WRITE_FORCE 1u

/* Writes DIR/stacks/<stack>/cdk.tf.json and DIR/manifest.json: either all of
 * them replace the previous files or the previous output stays as it was
 * (the guarantee is spelled out in writer.c). pg_write_output() is this
 * without flags. */
int pg_write_tree(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                  unsigned flags, pg_errors *err);

/* A further document written with the stacks (paygen generate --tests):
 * DIR/stacks/<stack>/<sub>/<name>, sub being one or more directory names
 * joined by '/' ("tests/wrong-workspace"), made when missing and opened
 * without following a link like the stack directories. */
typedef struct pg_extra_file {
    pg_stack stack;
    const char *sub, *name;
    const cJSON *doc;
} pg_extra_file;

/* The same for bytes written as they are (the function packages). */
typedef struct pg_binary_file {
    pg_stack stack;
    const char *sub, *name;
    const void *data;
    size_t size;
} pg_binary_file;

/* pg_write_tree() with further files: written, flushed and swapped in with
 * the same guarantee, after the stacks and before manifest.json. */
int pg_write_tree_with(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                       const pg_extra_file *extra, size_t extra_count, unsigned flags, pg_errors *err);
/* And with binary files too. */
int pg_write_tree_files(const char *dir, cJSON *const stacks[PG_STACK_COUNT], const cJSON *manifest,
                        const pg_extra_file *extra, size_t extra_count, const pg_binary_file *binary,
                        size_t binary_count, unsigned flags, pg_errors *err);

/* ----- the output directory (outdir.c) */

/* Opens the output root PATH as a directory, creating it and what is missing
 * above it (mode 0755). PATH itself may not be a symbolic link. Unless flags
 * has PG_WRITE_FORCE, an existing "/", home directory, or non-empty
 * directory without a paygen manifest.json is refused. Returns the
 * descriptor, or -1 with the reason in err; *created: this call made it. */
int pg_outdir_open(const char *path, unsigned flags, bool *created, pg_errors *err);
/* Opens the directory NAME below the descriptor AT without following a
 * link, creating it (mode 0755) when missing. SHOWN names it in messages. */
int pg_outdir_sub(int at, const char *name, const char *shown, bool *created, pg_errors *err);

/* Directories opened below a stack directory for the extra files, kept open
 * so that after a failure the ones this run made can be removed. */
typedef struct pg_outdir_link {
    int at, fd;               /* the parent's descriptor and its own */
    char *name;
    bool made;
} pg_outdir_link;
typedef struct pg_outdir_chain {
    pg_outdir_link *links;
    size_t count, cap;
} pg_outdir_chain;

/* Opens SUB ("tests/wrong-workspace") below AT one name at a time as
 * pg_outdir_sub() does, recording each in c. SHOWN names AT in messages.
 * Returns the descriptor of the last, or -1 with the reason in err. */
int pg_outdir_chain_open(pg_outdir_chain *c, int at, const char *sub, const char *shown, pg_errors *err);
/* Closes every directory of c, last opened first; when failed, removes the
 * ones it made (they are empty again by then). */
void pg_outdir_chain_close(pg_outdir_chain *c, bool failed);

#endif
