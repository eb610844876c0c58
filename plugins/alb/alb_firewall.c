/* alb_firewall.c - the load balancer's security group. Its two ingress rules
 * are the only ones of the platform open to the Internet: 443, and 80 for the
 * redirect to HTTPS. Egress goes to the application tier only, on the
 * container port (requests and health checks alike). */
#include "alb.h"

static cJSON *rule(alb_site *s, const char *type, const char *label, const char *kind, long port,
                   const char *what)
{
    pg_out *out = s->out;
    cJSON *b = pg_resource(out, s->r, type, label);
    cJSON_AddStringToObject(b, "security_group_id", pg_ref(out, s->sg, "id"));
    cJSON_AddStringToObject(b, "description", what);
    cJSON_AddStringToObject(b, "ip_protocol", "tcp");
    cJSON_AddNumberToObject(b, "from_port", (double)port);
    cJSON_AddNumberToObject(b, "to_port", (double)port);
    pg_tag_name(b, pg_name(out, s->r, kind, 256));
    return b;
}

int alb_firewall(alb_site *s)
{
    pg_out *out = s->out;
    const char *app_sg = alb_need(s, "vpc.app_security_group_id");
    if (!app_sg)
        return -1;

    /* No inline rules: they would fight the separate rule resources. */
    cJSON *sg = s->sg = pg_resource(out, s->r, "aws_security_group", "alb");
    cJSON_AddStringToObject(sg, "name", pg_name(out, NULL, "sg-alb", 255));
    cJSON_AddStringToObject(sg, "description", "Internet-facing application load balancer");
    cJSON_AddStringToObject(sg, "vpc_id", s->vpc_id);
    cJSON_AddBoolToObject(sg, "revoke_rules_on_delete", true);
    pg_tag_name(sg, pg_name(out, s->r, "sg-alb", 256));

    cJSON *in = rule(s, "aws_vpc_security_group_ingress_rule", "alb_https", "sgr-alb-https", 443,
                     "HTTPS from the Internet");
    cJSON_AddStringToObject(in, "cidr_ipv4", "0.0.0.0/0");
    in = rule(s, "aws_vpc_security_group_ingress_rule", "alb_http", "sgr-alb-http", 80,
              "HTTP from the Internet, answered with a redirect to HTTPS");
    cJSON_AddStringToObject(in, "cidr_ipv4", "0.0.0.0/0");
    cJSON *eg = rule(s, "aws_vpc_security_group_egress_rule", "alb_to_app", "sgr-alb-to-app",
                     s->port, "Requests and health checks to the application tasks");
    cJSON_AddStringToObject(eg, "referenced_security_group_id", app_sg);
    return 0;
}
