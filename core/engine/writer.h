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

#endif
