/* SPDX-License-Identifier: Apache-2.0 */
/* check.h - paygen check: PCI DSS v4.0 guardrails over generated Terraform
 * JSON. The rules live in one table (check_rules.c), their functions by
 * family in check_rules_*.c. */
#ifndef PG_CHECK_H
#define PG_CHECK_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "util.h"
#include "waivers.h"

typedef enum pg_severity { PG_SEV_LOW, PG_SEV_MEDIUM, PG_SEV_HIGH, PG_SEV_CRITICAL } pg_severity;

typedef struct pg_check_ctx pg_check_ctx;

typedef struct pg_rule {
    const char *id;          /* "PCI-S3-001" */
    const char *title;
    const char *pci;         /* PCI DSS v4.0 requirements, "1.3.1, 1.4.4" */
    const char *securityhub; /* AWS Security Hub control(s), NULL when none */
    pg_severity severity;
    const char *types;       /* resource types it looks at, space separated */
    void (*check)(pg_check_ctx *c);
    const char *detail;      /* what exactly passes, and any exception */
} pg_rule;

typedef struct pg_finding {
    const pg_rule *rule;
    const char *file;        /* not owned */
    char *stack, *address, *message;
    const pg_waiver *waiver; /* the waiver naming its rule (not owned), or NULL */
} pg_finding;

/* A waiver past its expiry date is shown but waives nothing. */
static inline bool pg_finding_waived(const pg_finding *x) { return x->waiver && !x->waiver->expired; }

typedef struct pg_findings {
    pg_finding *items;
    size_t count, cap;
} pg_findings;

/* The rule table and severity names (check_rules.c). */
const pg_rule *pg_check_rules(size_t *count);
const char *pg_severity_name(pg_severity s);

/* The entry (check.c). Runs every rule over one stack; protection is
 * manifest profile.protection (1, 0, or -1 unknown, treated as on).
 * applicable (one per rule, may be NULL) is set for rules that found
 * something to look at. Returns the number of violations appended. */
size_t pg_check_stack(const cJSON *doc, const char *stack, const char *file, int protection,
                      pg_findings *out, bool *applicable);
void pg_findings_free(pg_findings *f);
/* Gives findings from index first the waiver of their rule, if any; returns
 * how many of them stay unwaived (an expired waiver waives nothing). The
 * waivers must outlive the findings. */
size_t pg_check_waive(pg_findings *f, size_t first, const pg_waivers *waivers);

/* Output (check_report.c). */
void pg_check_print_text(FILE *f, const pg_findings *fs);
void pg_check_print_rules(FILE *f, bool markdown);
/* A SARIF 2.1.0 log of the findings; the caller deletes it. */
cJSON *pg_check_sarif(const pg_findings *fs);

#endif
