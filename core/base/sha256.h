/* SPDX-License-Identifier: Apache-2.0 */
/* sha256.h - SHA-256 as 64 lowercase hex digits. */
#ifndef PG_SHA256_H
#define PG_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define PG_SHA256_HEX 65 /* 64 digits and the terminator */

void pg_sha256_bytes(const void *data, size_t size, char hex[PG_SHA256_HEX]);
/* Tests: use the portable rounds even where the CPU has SHA extensions. */
void pg_sha256_portable_only(bool portable);
/* 0, or -1 when the file cannot be read. */
int pg_sha256_file(const char *path, char hex[PG_SHA256_HEX]);

#endif
