/* SPDX-License-Identifier: Apache-2.0 */
/* audit.h - what audit.c and alarms.c share inside the audit plugin. */
#ifndef AUDIT_H
#define AUDIT_H

#include <paygen/paygen.h>

typedef struct trail {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    const char *name, *key; /* the trail's name; the logs key of its log group */
    const char *role_name;  /* the cloudtrail role, which gets the log group permission here */
    cJSON *role_policy;     /* the trail waits for its permission to write the log group */
} trail;

/* alarms.c: metric filters on the trail's log group and an alarm on each. */
void audit_security_alarms(trail *t, const cJSON *log_group);

#endif
