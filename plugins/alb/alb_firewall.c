/* SPDX-License-Identifier: Apache-2.0 */
/* alb_firewall.c - the load balancer's security group. Its two ingress rules
 * are the only ones of the platform open to the Internet: 443, and 80 for the
 * redirect to HTTPS. The test listener (ALB_TEST_PORT) admits only the
 * networks of the test_listener_cidrs variable, one rule each; none by
 * default. Egress goes to the application tier only, on the container port
 * (requests and health checks alike). */
#include "alb.h"

/* One rule of the group; peer_key names the other side (a CIDR or a group). */
static void rule(alb_site *s, const char *type, const char *label, const char *kind, long port,
                 const char *what, const char *peer_key, const char *peer)
{
    pg_resource(s->out, s->r, type, label,
                PG_REF("security_group_id", s->sg, "id"),
                PG_STR("description", what),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", port),
                PG_INT("to_port", port),
                PG_STR(peer_key, peer),
                PG_NAME(kind));
}

int alb_firewall(alb_site *s)
{
    pg_out *out = s->out;
    const char *app_sg = pg_need(s->ctx, s->r, "vpc.app_security_group_id");
    if (!app_sg)
        return -1;

    /* No inline rules: they would fight the separate rule resources. */
    s->sg = pg_resource(out, s->r, "aws_security_group", "alb",
                        PG_STR("name", pg_name(out, NULL, "sg-alb", 255)),
                        PG_STR("description", "Internet-facing application load balancer"),
                        PG_STR("vpc_id", s->vpc_id),
                        PG_BOOL("revoke_rules_on_delete", true),
                        PG_NAME("sg-alb"));

    rule(s, "aws_vpc_security_group_ingress_rule", "alb_https", "sgr-alb-https", 443,
         "HTTPS from the Internet", "cidr_ipv4", "0.0.0.0/0");
    rule(s, "aws_vpc_security_group_ingress_rule", "alb_http", "sgr-alb-http", 80,
         "HTTP from the Internet, answered with a redirect to HTTPS", "cidr_ipv4", "0.0.0.0/0");
    /* for_each over the variable: adding a network adds a rule and leaves
     * the others in place. */
    pg_resource(out, s->r, "aws_vpc_security_group_ingress_rule", "alb_test",
                PG_STR("for_each", "${toset(var.test_listener_cidrs)}"),
                PG_REF("security_group_id", s->sg, "id"),
                PG_STR("description", "Release tests of the colour that is not active"),
                PG_STR("ip_protocol", "tcp"),
                PG_INT("from_port", ALB_TEST_PORT),
                PG_INT("to_port", ALB_TEST_PORT),
                PG_STR("cidr_ipv4", "${each.value}"),
                PG_NAME("sgr-alb-test"));
    rule(s, "aws_vpc_security_group_egress_rule", "alb_to_app", "sgr-alb-to-app",
         s->cfg->container_port, "Requests and health checks to the application tasks",
         "referenced_security_group_id", app_sg);
    return 0;
}
