/* vpc - one VPC per active region, its subnets, routing, egress, flow logs and
 * the shared application security group (R2). See docs/network.md.
 *
 * Subnet layout. The region's CIDR (/16../24, checked by the core) is split
 * into 16 equal blocks of /(prefix+4); block number tier*4 + az holds the
 * subnet of that tier in that availability zone:
 *
 *     block  0  1  2  3 | 4  5  6  7 | 8  9 10 11 | 12 13 14 15
 *     tier   public   - | app      - | data     - | spare
 *
 * For 10.10.0.0/16 that is public 10.10.0.0/20, 10.10.16.0/20, 10.10.32.0/20;
 * app 10.10.64.0/20, .80.0/20, .96.0/20; data 10.10.128.0/20, .144.0/20,
 * .160.0/20. Blocks 3, 7, 11 (a fourth AZ) and 12-15 (a new tier, e.g.
 * dedicated Transit Gateway subnets) stay free, so growing never renumbers an
 * existing subnet. The smallest VPC (/24) gets /28 subnets, the AWS minimum.
 *
 * Routing. One public route table (default route to the internet gateway: the
 * public tier exists only for the load balancers). One route table per AZ for
 * the app tier and one per AZ for the data tier, whatever the egress mode, so
 * switching network.egress never replaces a route table or an association.
 * Data route tables never get a route to the internet.
 *
 * Egress of private workloads (network.egress):
 *   endpoints (default)  interface endpoints (ecr.api, ecr.dkr, logs, kms,
 *                        secretsmanager, sts, monitoring) in the app subnets
 *                        with private DNS, and the S3 gateway endpoint on
 *                        every private route table; no path to the internet
 *                        from the cardholder data environment.
 *   nat                  an EIP and a NAT gateway in each AZ's public
 *                        subnet; each app route table's default route goes
 *                        to its own AZ's NAT gateway (an AZ outage does not
 *                        cut the others off).
 *   both                 both of the above.
 *
 * Publishes, per region: vpc.id, vpc.cidr, vpc.public_subnet_ids,
 * vpc.app_subnet_ids, vpc.data_subnet_ids, vpc.app_route_table_ids,
 * vpc.data_route_table_ids, vpc.app_security_group_id. */
#include <paygen/paygen.h>
#include <stdio.h>
#include <string.h>

#define AZS 3

enum tier { TIER_PUBLIC = 0, TIER_APP = 1, TIER_DATA = 2, TIER_COUNT = 3 };
static const char *const tier_names[TIER_COUNT] = {"public", "app", "data"};

/* Interface endpoints a private Fargate workload needs with no internet path:
 * image pulls (ecr.api, ecr.dkr; layers come through the S3 gateway), task
 * logs, KMS, secrets, STS for the task role, CloudWatch metrics. */
static const struct {
    const char *label;
    const char *service;
} interface_endpoints[] = {
    {"ecr_api", "ecr.api"}, {"ecr_dkr", "ecr.dkr"},
    {"logs", "logs"},       {"kms", "kms"},
    {"secretsmanager", "secretsmanager"}, {"sts", "sts"},
    {"monitoring", "monitoring"},
};

/* CloudWatch Logs accepts only these retention periods (days). */
static const long retention_periods[] = {1,   3,   5,   7,    14,   30,   60,   90,
                                         120, 150, 180, 365,  400,  545,  731,  1096,
                                         1827, 2192, 2557, 2922, 3288, 3653};

typedef struct egress {
    bool nat, endpoints;
} egress;

typedef struct network {
    const pg_region *r;
    cJSON *vpc;
    cJSON *subnets[TIER_COUNT][AZS];
    cJSON *app_rt[AZS], *data_rt[AZS];
    cJSON *igw;
    cJSON *app_sg;
} network;

/* "10.10.0.0/16" -> address and prefix; the core validated the text. */
static bool parse_cidr(const char *text, unsigned *addr, unsigned *prefix)
{
    unsigned a, b, c, d, n;
    if (!text || sscanf(text, "%3u.%3u.%3u.%3u/%2u", &a, &b, &c, &d, &n) != 5 || a > 255 ||
        b > 255 || c > 255 || d > 255 || n > 28)
        return false;
    *addr = (a << 24) | (b << 16) | (c << 8) | d;
    *prefix = n;
    return true;
}

/* The subnet of a tier in an AZ: block tier*4 + az of the /(prefix+4) split. */
static const char *subnet_cidr(pg_out *out, const pg_region *r, int tier, size_t az)
{
    unsigned addr, prefix;
    if (!parse_cidr(r->cidr, &addr, &prefix))
        return "";
    unsigned sub = prefix + 4;
    unsigned a = addr + ((unsigned)(tier * 4 + (int)az) << (32 - sub));
    return pg_printf(out, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, sub);
}

/* "us-east-1b" -> "b": labels follow the zone, not its position. */
static const char *az_letter(pg_out *out, const char *az)
{
    size_t n = strlen(az);
    return pg_printf(out, "%c", n ? az[n - 1] : 'x');
}

static cJSON *refs_array(pg_out *out, cJSON *const *blocks, size_t n)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(pg_ref(out, blocks[i], "id")));
    return list;
}

static void publish_list(pg_out *out, const pg_region *r, const char *name, cJSON *list)
{
    pg_publish(out, r, name, list);
    cJSON_Delete(list);
}

static int read_egress(const pg_ctx *ctx, pg_out *out, egress *e)
{
    const char *mode = pg_ctx_string(ctx, "network.egress");
    if (mode && !strcmp(mode, "endpoints"))
        *e = (egress){.nat = false, .endpoints = true};
    else if (mode && !strcmp(mode, "nat"))
        *e = (egress){.nat = true, .endpoints = false};
    else if (mode && !strcmp(mode, "both"))
        *e = (egress){.nat = true, .endpoints = true};
    else {
        pg_error(out, "network.egress = '%s' must be one of endpoints, nat, both",
                 mode ? mode : "");
        return -1;
    }
    return 0;
}

static int read_retention(const pg_ctx *ctx, pg_out *out, long *days)
{
    *days = pg_ctx_int(ctx, "network.flow_log_retention_days");
    for (size_t i = 0; i < sizeof retention_periods / sizeof *retention_periods; i++)
        if (retention_periods[i] == *days)
            return 0;
    pg_error(out,
             "network.flow_log_retention_days = %ld is not a CloudWatch Logs retention period "
             "(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, "
             "2557, 2922, 3288, 3653)",
             *days);
    return -1;
}

static void add_vpc(pg_out *out, network *n)
{
    const pg_region *r = n->r;
    n->vpc = pg_resource(out, r, "aws_vpc", "main");
    cJSON_AddStringToObject(n->vpc, "cidr_block", r->cidr);
    cJSON_AddBoolToObject(n->vpc, "enable_dns_support", true);
    cJSON_AddBoolToObject(n->vpc, "enable_dns_hostnames", true);
    cJSON_AddStringToObject(n->vpc, "instance_tenancy", "default");
    pg_tag_name(n->vpc, pg_name(out, r, "vpc", 256));

    /* Adopting the default security group empties it: no ingress, no egress
     * (PCI 1.2.8 / FSBP EC2.2). Nothing may use it. */
    cJSON *dsg = pg_resource(out, r, "aws_default_security_group", "main");
    cJSON_AddStringToObject(dsg, "vpc_id", pg_ref(out, n->vpc, "id"));
    cJSON_AddItemToObject(dsg, "ingress", cJSON_CreateArray());
    cJSON_AddItemToObject(dsg, "egress", cJSON_CreateArray());
    pg_tag_name(dsg, pg_name(out, r, "sg-default-denied", 256));
}

static void add_subnets(pg_out *out, network *n)
{
    const pg_region *r = n->r;
    for (int t = 0; t < TIER_COUNT; t++)
        for (size_t a = 0; a < AZS; a++) {
            const char *letter = az_letter(out, r->azs[a]);
            cJSON *s = pg_resource(out, r, "aws_subnet", pg_printf(out, "%s_%s", tier_names[t], letter));
            cJSON_AddStringToObject(s, "vpc_id", pg_ref(out, n->vpc, "id"));
            cJSON_AddStringToObject(s, "cidr_block", subnet_cidr(out, r, t, a));
            cJSON_AddStringToObject(s, "availability_zone", r->azs[a]);
            /* Nothing gets a public address by accident, not even in the
             * public tier: only load balancers live there. */
            cJSON_AddBoolToObject(s, "map_public_ip_on_launch", false);
            pg_tag_name(s, pg_name(out, r, pg_printf(out, "subnet-%s-%s", tier_names[t], letter), 256));
            n->subnets[t][a] = s;
        }
}

static cJSON *route_table(pg_out *out, network *n, const char *label, const char *kind)
{
    cJSON *rt = pg_resource(out, n->r, "aws_route_table", label);
    cJSON_AddStringToObject(rt, "vpc_id", pg_ref(out, n->vpc, "id"));
    pg_tag_name(rt, pg_name(out, n->r, kind, 256));
    return rt;
}

static void associate(pg_out *out, network *n, const char *label, cJSON *subnet, cJSON *rt)
{
    cJSON *as = pg_resource(out, n->r, "aws_route_table_association", label);
    cJSON_AddStringToObject(as, "subnet_id", pg_ref(out, subnet, "id"));
    cJSON_AddStringToObject(as, "route_table_id", pg_ref(out, rt, "id"));
}

static void add_routing(pg_out *out, network *n, const egress *e)
{
    const pg_region *r = n->r;
    n->igw = pg_resource(out, r, "aws_internet_gateway", "main");
    cJSON_AddStringToObject(n->igw, "vpc_id", pg_ref(out, n->vpc, "id"));
    pg_tag_name(n->igw, pg_name(out, r, "igw", 256));

    cJSON *public_rt = route_table(out, n, "public", "rt-public");
    cJSON *internet = pg_resource(out, r, "aws_route", "public_internet");
    cJSON_AddStringToObject(internet, "route_table_id", pg_ref(out, public_rt, "id"));
    cJSON_AddStringToObject(internet, "destination_cidr_block", "0.0.0.0/0");
    cJSON_AddStringToObject(internet, "gateway_id", pg_ref(out, n->igw, "id"));

    for (size_t a = 0; a < AZS; a++) {
        const char *letter = az_letter(out, r->azs[a]);
        associate(out, n, pg_printf(out, "public_%s", letter), n->subnets[TIER_PUBLIC][a], public_rt);

        n->app_rt[a] = route_table(out, n, pg_printf(out, "app_%s", letter),
                                   pg_printf(out, "rt-app-%s", letter));
        associate(out, n, pg_printf(out, "app_%s", letter), n->subnets[TIER_APP][a], n->app_rt[a]);

        /* The data tier: local routes (and, from the transit plugin, the peer
         * region's CIDR) only. */
        n->data_rt[a] = route_table(out, n, pg_printf(out, "data_%s", letter),
                                    pg_printf(out, "rt-data-%s", letter));
        associate(out, n, pg_printf(out, "data_%s", letter), n->subnets[TIER_DATA][a], n->data_rt[a]);

        if (!e->nat)
            continue;
        cJSON *eip = pg_resource(out, r, "aws_eip", pg_printf(out, "nat_%s", letter));
        cJSON_AddStringToObject(eip, "domain", "vpc");
        cJSON_AddItemToObject(eip, "depends_on", pg_strings(pg_address(out, n->igw), NULL));
        pg_tag_name(eip, pg_name(out, r, pg_printf(out, "eip-nat-%s", letter), 256));

        cJSON *nat = pg_resource(out, r, "aws_nat_gateway", letter);
        cJSON_AddStringToObject(nat, "allocation_id", pg_ref(out, eip, "id"));
        cJSON_AddStringToObject(nat, "subnet_id", pg_ref(out, n->subnets[TIER_PUBLIC][a], "id"));
        cJSON_AddStringToObject(nat, "connectivity_type", "public");
        cJSON_AddItemToObject(nat, "depends_on", pg_strings(pg_address(out, n->igw), NULL));
        pg_tag_name(nat, pg_name(out, r, pg_printf(out, "nat-%s", letter), 256));

        cJSON *def = pg_resource(out, r, "aws_route", pg_printf(out, "app_%s_internet", letter));
        cJSON_AddStringToObject(def, "route_table_id", pg_ref(out, n->app_rt[a], "id"));
        cJSON_AddStringToObject(def, "destination_cidr_block", "0.0.0.0/0");
        cJSON_AddStringToObject(def, "nat_gateway_id", pg_ref(out, nat, "id"));
    }
}

static void add_endpoints(pg_out *out, network *n)
{
    const pg_region *r = n->r;
    cJSON *sg = pg_resource(out, r, "aws_security_group", "endpoints");
    const char *sg_name = pg_name(out, NULL, "sg-endpoints", 255);
    cJSON_AddStringToObject(sg, "name", sg_name);
    cJSON_AddStringToObject(sg, "description", "Interface VPC endpoints: HTTPS from inside the VPC");
    cJSON_AddStringToObject(sg, "vpc_id", pg_ref(out, n->vpc, "id"));
    pg_tag_name(sg, pg_name(out, r, "sg-endpoints", 256));

    cJSON *in = pg_resource(out, r, "aws_vpc_security_group_ingress_rule", "endpoints_https");
    cJSON_AddStringToObject(in, "security_group_id", pg_ref(out, sg, "id"));
    cJSON_AddStringToObject(in, "description", "HTTPS to AWS APIs from the VPC");
    cJSON_AddStringToObject(in, "ip_protocol", "tcp");
    cJSON_AddNumberToObject(in, "from_port", 443);
    cJSON_AddNumberToObject(in, "to_port", 443);
    cJSON_AddStringToObject(in, "cidr_ipv4", r->cidr);
    pg_tag_name(in, pg_name(out, r, "sgr-endpoints-https", 256));

    cJSON *app_subnets = refs_array(out, n->subnets[TIER_APP], AZS);
    for (size_t i = 0; i < sizeof interface_endpoints / sizeof *interface_endpoints; i++) {
        cJSON *ep = pg_resource(out, r, "aws_vpc_endpoint", interface_endpoints[i].label);
        cJSON_AddStringToObject(ep, "vpc_id", pg_ref(out, n->vpc, "id"));
        cJSON_AddStringToObject(ep, "service_name", pg_printf(out, "com.amazonaws.%s.%s", r->name,
                                                              interface_endpoints[i].service));
        cJSON_AddStringToObject(ep, "vpc_endpoint_type", "Interface");
        cJSON_AddBoolToObject(ep, "private_dns_enabled", true);
        cJSON_AddItemToObject(ep, "subnet_ids", cJSON_Duplicate(app_subnets, true));
        cJSON_AddItemToObject(ep, "security_group_ids", pg_strings(pg_ref(out, sg, "id"), NULL));
        char kind[64];
        snprintf(kind, sizeof kind, "vpce-%s", interface_endpoints[i].service);
        for (char *p = kind; *p; p++)
            if (*p == '.')
                *p = '-';
        pg_tag_name(ep, pg_name(out, r, kind, 256));
    }
    cJSON_Delete(app_subnets);

    /* S3 (ECR image layers, buckets) through the gateway endpoint, on every
     * private route table: a prefix-list route, not a route to the internet. */
    cJSON *s3 = pg_resource(out, r, "aws_vpc_endpoint", "s3");
    cJSON_AddStringToObject(s3, "vpc_id", pg_ref(out, n->vpc, "id"));
    cJSON_AddStringToObject(s3, "service_name", pg_printf(out, "com.amazonaws.%s.s3", r->name));
    cJSON_AddStringToObject(s3, "vpc_endpoint_type", "Gateway");
    cJSON *rts = refs_array(out, n->app_rt, AZS);
    for (size_t a = 0; a < AZS; a++)
        cJSON_AddItemToArray(rts, cJSON_CreateString(pg_ref(out, n->data_rt[a], "id")));
    cJSON_AddItemToObject(s3, "route_table_ids", rts);
    pg_tag_name(s3, pg_name(out, r, "vpce-s3", 256));
}

/* The application tier's group: no ingress here (ecs admits the load
 * balancer, aurora admits this group on 5432); egress only to AWS APIs over
 * HTTPS and to the database port inside the VPC. */
static void add_app_security_group(pg_out *out, network *n)
{
    const pg_region *r = n->r;
    n->app_sg = pg_resource(out, r, "aws_security_group", "app");
    const char *name = pg_name(out, NULL, "sg-app", 255);
    cJSON_AddStringToObject(n->app_sg, "name", name);
    cJSON_AddStringToObject(n->app_sg, "description", "Application tier (ECS tasks)");
    cJSON_AddStringToObject(n->app_sg, "vpc_id", pg_ref(out, n->vpc, "id"));
    pg_tag_name(n->app_sg, pg_name(out, r, "sg-app", 256));

    cJSON *https = pg_resource(out, r, "aws_vpc_security_group_egress_rule", "app_https");
    cJSON_AddStringToObject(https, "security_group_id", pg_ref(out, n->app_sg, "id"));
    cJSON_AddStringToObject(https, "description", "HTTPS to AWS APIs (endpoints or NAT)");
    cJSON_AddStringToObject(https, "ip_protocol", "tcp");
    cJSON_AddNumberToObject(https, "from_port", 443);
    cJSON_AddNumberToObject(https, "to_port", 443);
    cJSON_AddStringToObject(https, "cidr_ipv4", "0.0.0.0/0");
    pg_tag_name(https, pg_name(out, r, "sgr-app-https", 256));

    cJSON *pg = pg_resource(out, r, "aws_vpc_security_group_egress_rule", "app_postgres");
    cJSON_AddStringToObject(pg, "security_group_id", pg_ref(out, n->app_sg, "id"));
    cJSON_AddStringToObject(pg, "description", "PostgreSQL to the database tier");
    cJSON_AddStringToObject(pg, "ip_protocol", "tcp");
    cJSON_AddNumberToObject(pg, "from_port", 5432);
    cJSON_AddNumberToObject(pg, "to_port", 5432);
    cJSON_AddStringToObject(pg, "cidr_ipv4", r->cidr);
    pg_tag_name(pg, pg_name(out, r, "sgr-app-postgres", 256));
}

static int add_flow_logs(const pg_ctx *ctx, pg_out *out, network *n, long retention)
{
    const pg_region *r = n->r;
    const char *key = pg_lookup_string(ctx, r, "kms.logs.arn");
    const char *role_arn = pg_lookup_string(ctx, r, "iam.flow_logs.arn");
    const char *role_name = pg_lookup_string(ctx, r, "iam.flow_logs.name");
    if (!key) {
        pg_error(out, "no kms.logs.arn published for %s: the flow-log group cannot be encrypted",
                 r->name);
        return -1;
    }
    if (!role_arn || !role_name) {
        pg_error(out, "no iam.flow_logs.arn/.name published for %s: flow logs need the role",
                 r->name);
        return -1;
    }

    cJSON *group = pg_resource(out, r, "aws_cloudwatch_log_group", "flow_logs");
    cJSON_AddStringToObject(group, "name",
                            pg_printf(out, "/aws/vpc/%s", pg_name(out, NULL, "flow-logs", 400)));
    cJSON_AddNumberToObject(group, "retention_in_days", (double)retention);
    cJSON_AddStringToObject(group, "kms_key_id", key);
    pg_tag_name(group, pg_name(out, r, "flow-logs", 256));
    /* Audit evidence (PCI 10.5.1): protected like the audit bucket. */
    pg_protect(ctx, group);

    /* What the flow_logs role (owned by iam) may do: write into this group
     * and nothing else. Streams are "<group arn>:log-stream:<name>". */
    const char *group_arn = pg_ref(out, group, "arn");
    cJSON *doc = pg_data(out, r, "aws_iam_policy_document", "vpc_flow_logs");
    pg_statement(doc, "FlowLogsDelivery", "Allow",
                 pg_strings("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams",
                            NULL),
                 pg_strings(group_arn, pg_printf(out, "%s:*", group_arn), NULL));
    cJSON *policy = pg_resource(out, r, "aws_iam_role_policy", "vpc_flow_logs");
    cJSON_AddStringToObject(policy, "name", pg_name(out, r, "flow-logs-delivery", 128));
    cJSON_AddStringToObject(policy, "role", role_name);
    cJSON_AddStringToObject(policy, "policy", pg_ref(out, doc, "json"));

    cJSON *fl = pg_resource(out, r, "aws_flow_log", "main");
    cJSON_AddStringToObject(fl, "vpc_id", pg_ref(out, n->vpc, "id"));
    cJSON_AddStringToObject(fl, "traffic_type", "ALL");
    cJSON_AddStringToObject(fl, "log_destination_type", "cloud-watch-logs");
    cJSON_AddStringToObject(fl, "log_destination", group_arn);
    cJSON_AddStringToObject(fl, "iam_role_arn", role_arn);
    cJSON_AddNumberToObject(fl, "max_aggregation_interval", 60);
    /* The role must be able to write before the first delivery. */
    cJSON_AddItemToObject(fl, "depends_on", pg_strings(pg_address(out, policy), NULL));
    pg_tag_name(fl, pg_name(out, r, "flow-log", 256));
    return 0;
}

static void publish(pg_out *out, network *n)
{
    const pg_region *r = n->r;
    pg_publish_string(out, r, "vpc.id", pg_ref(out, n->vpc, "id"));
    pg_publish_string(out, r, "vpc.cidr", r->cidr);
    publish_list(out, r, "vpc.public_subnet_ids", refs_array(out, n->subnets[TIER_PUBLIC], AZS));
    publish_list(out, r, "vpc.app_subnet_ids", refs_array(out, n->subnets[TIER_APP], AZS));
    publish_list(out, r, "vpc.data_subnet_ids", refs_array(out, n->subnets[TIER_DATA], AZS));
    publish_list(out, r, "vpc.app_route_table_ids", refs_array(out, n->app_rt, AZS));
    publish_list(out, r, "vpc.data_route_table_ids", refs_array(out, n->data_rt, AZS));
    pg_publish_string(out, r, "vpc.app_security_group_id", pg_ref(out, n->app_sg, "id"));

    pg_output(out, pg_printf(out, "vpc_id_%s", r->code), pg_ref(out, n->vpc, "id"),
              pg_printf(out, "VPC id in %s", r->name));
}

static int contribute(const pg_ctx *ctx, pg_out *out)
{
    egress e = {0};
    long retention = 0;
    int rc = 0;
    if (read_egress(ctx, out, &e) < 0)
        rc = -1;
    if (read_retention(ctx, out, &retention) < 0)
        rc = -1;
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < pg_ctx_region_count(ctx); i++) {
        network n = {.r = pg_ctx_region(ctx, i)};
        if (n.r->az_count != AZS) {
            pg_error(out, "region %s has %zu availability zones; the subnet layout needs %d",
                     n.r->name, n.r->az_count, AZS);
            return -1;
        }
        add_vpc(out, &n);
        add_subnets(out, &n);
        add_routing(out, &n, &e);
        if (e.endpoints)
            add_endpoints(out, &n);
        add_app_security_group(out, &n);
        if (add_flow_logs(ctx, out, &n, retention) < 0)
            return -1;
        publish(out, &n);
    }
    return 0;
}

static const char *const provides[] = {"vpc", NULL};
static const char *const needs[] = {"kms", "iam", NULL};
static const pg_setting settings[] = {
    {"network.egress", PG_SETTING_STRING, "endpoints", 0, 0,
     "egress of private workloads: endpoints (no internet path), nat, or both"},
    {"network.flow_log_retention_days", PG_SETTING_INT, "365", 1, 3653,
     "days VPC flow logs are kept (a CloudWatch Logs period; PCI 10.5.1 wants 365 or more)"},
    {NULL, 0, NULL, 0, 0, NULL},
};

PG_PLUGIN_DEFINE("vpc", "1.0.0",
                 "VPC per region: 3-AZ public/app/data subnets, routing, NAT or endpoints, flow logs",
                 provides, needs, settings, contribute)
