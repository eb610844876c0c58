/* alb.h - what the parts of the alb plugin share for one region. */
#ifndef PG_ALB_H
#define PG_ALB_H

#include <paygen/paygen.h>

typedef struct alb_site {
    const pg_ctx *ctx;
    pg_out *out;
    const pg_region *r;
    long port;          /* container port, the targets' port */
    const char *vpc_id; /* vpc.id of the region */
    cJSON *sg;          /* the load balancer's security group */
    cJSON *lb;          /* aws_lb */
    cJSON *tg[2];       /* blue, green target groups */
    cJSON *https;       /* the HTTPS listener */
} alb_site;

/* The two colours, in the order of alb_site.tg. */
extern const char *const alb_colours[2];

/* A string reference of the region that must exist; reports it when missing. */
const char *alb_need(alb_site *s, const char *name);

/* Appends a nested block (an object) to parent's list key and returns it. */
cJSON *alb_block(cJSON *parent, const char *key);

/* Security group of the load balancer and its rules. */
int alb_firewall(alb_site *s);
/* Blue/green variables and locals (once per run). */
void alb_traffic_variables(pg_out *out);
/* Target groups and listeners of a region; needs s->lb. */
int alb_routing(alb_site *s);
/* Web ACL with AWS managed rule groups, associated with s->lb. */
void alb_waf(alb_site *s);

#endif
