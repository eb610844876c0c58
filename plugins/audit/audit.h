/* SPDX-License-Identifier: Apache-2.0 */
/* audit.h - what audit.c and alarms.c share inside the audit plugin. */
#ifndef AUDIT_H
#define AUDIT_H

#include <paygen/paygen.h>

typedef struct trail {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    const char *account, *partition, *name, *key;
    const char *role_name; /* the cloudtrail role, which gets the log group permission here */
    const char *trail_arn; /* built from the name: CloudTrail checks it before the trail exists */
    cJSON *role_policy;    /* the trail waits for its permission to write the log group */
} trail;

/* alarms.c: metric filters on the trail's log group and an alarm on each. */
void audit_security_alarms(trail *t, const cJSON *log_group);

#endif
