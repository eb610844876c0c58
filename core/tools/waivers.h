/* SPDX-License-Identifier: Apache-2.0 */
/* waivers.h - the PCI waivers paygen check applies: read from a reviewed
 * waivers file (YAML) or from a reviewed profile's check.waivers, never from
 * the output. Each waiver names a rule and carries an owner, a reason and an
 * expiry date; a critical rule needs the caller's explicit consent. */
#ifndef PG_WAIVERS_H
#define PG_WAIVERS_H

#include <stdbool.h>

#include "util.h"

struct pg_rule;

typedef struct pg_waiver {
    const struct pg_rule *rule;
    const char *owner, *reason; /* owned by the list's arena */
    char expires[11];           /* YYYY-MM-DD: the first day it no longer applies */
    const char *file;           /* where it is written, for messages and SARIF */
    int line, col;
    bool expired;               /* today >= expires: reported, not applied */
} pg_waiver;

typedef struct pg_waivers {
    pg_waiver *items;
    size_t count, cap;
    pg_arena strings;
} pg_waivers;

typedef struct pg_waiver_policy {
    char today[11];      /* YYYY-MM-DD, UTC (pg_waivers_today) */
    bool allow_critical; /* a waiver of a critical rule is an error unless set */
} pg_waiver_policy;

/* Today's date in UTC as YYYY-MM-DD. */
void pg_waivers_today(char out[11]);

/* Reads a waivers file:
 *     waivers:
 *       - rule: PCI-KMS-001
 *         owner: platform-team
 *         expires: 2027-03-31
 *         reason: HSM-backed key, rotated by hand
 * Unknown keys, missing or empty fields, an unknown rule, a malformed date,
 * a rule waived twice and a critical rule without pol->allow_critical are
 * errors "FILE:LINE:COL: message". An expired waiver is kept, marked
 * expired. Returns 0, or -1 with every problem in err. */
int pg_waivers_load(pg_waivers *w, const char *path, const pg_waiver_policy *pol, pg_errors *err);

/* Adds a waiver written as one string, the profile's check.waivers form
 * "RULE-ID: owner | YYYY-MM-DD | reason", written at file:line:col (the
 * list's key); item is its 1-based place in the list. Same checks. */
int pg_waivers_add_text(pg_waivers *w, const char *text, const char *file, int line, int col, size_t item,
                        const pg_waiver_policy *pol, pg_errors *err);

void pg_waivers_free(pg_waivers *w);

#endif
