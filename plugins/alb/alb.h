/* SPDX-License-Identifier: Apache-2.0 */
/* alb.h - shared between the files of the alb plugin. alb.c calls the others;
 * they call nothing of alb.c. */
#ifndef PG_ALB_H
#define PG_ALB_H

#include <paygen/paygen.h>

/* The listener that reaches the colour not taking the traffic, for the
 * release tests before any weight moves (docs/deploy.md). */
#define ALB_TEST_PORT 8443

/* Settings of one run. */
typedef struct alb_config {
    long container_port; /* the targets' port, published as alb.target_port */
    const char *health_check_path;
    long deregistration_delay_seconds;
    long idle_timeout_seconds;
    bool waf;
    long waf_rate_limit;                /* requests per client address in 5 minutes */
    const char *waf_log_retention_days; /* one of CloudWatch Logs' periods */
} alb_config;

/* One region's balancer, filled as its pieces are written. */
typedef struct alb_site {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    const alb_config *cfg;
    const char *vpc_id;      /* vpc.id of the region */
    const char *zone_id;     /* zone.id: where the certificate is validated */
    const char *api_name;    /* zone.api_name: the certificate's domain */
    const char *certificate; /* the validated certificate's ARN, for the listeners */
    cJSON *sg;               /* the load balancer's security group */
    cJSON *lb;               /* aws_lb */
    cJSON *tg[2];            /* blue, green target groups */
    cJSON *https;            /* the HTTPS listener */
    cJSON *test;             /* the test listener, on ALB_TEST_PORT */
} alb_site;

/* alb_firewall.c: security group of the load balancer and its rules (the
 * test listener's need the variables of alb_traffic_variables). */
int alb_firewall(alb_site *s);

/* alb_certificate.c: the region's ACM certificate for s->api_name, its DNS
 * validation records in the zone and the validation; sets s->certificate. */
int alb_certificate(alb_site *s);

/* alb_routing.c: blue/green variables and locals (once per run); target
 * groups and listeners of a region (needs s->lb and s->certificate). The
 * colours, in the order of alb_site.tg. */
extern const char *const alb_colours[2];
void alb_traffic_variables(pg_out *out);
int alb_routing(alb_site *s);

/* alb_waf.c: web ACL with a rate limit and AWS managed rule groups,
 * associated with s->lb, and its log. */
int alb_waf(alb_site *s);

#endif
