/* SPDX-License-Identifier: Apache-2.0 */
/* check.c - the legacy section, checked before anything is written: ids in
 * their AWS formats, no half-described part (a database without its key, an
 * endpoint without its zone), nothing described that nothing would use, and
 * a legacy CIDR that overlaps no region (the Transit Gateway could not route
 * it). Every error names its key and where it was set (pg_fail_at). */
#include "legacy.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* "vpc-0abc..." : the prefix and 8 or 17 lowercase hex digits. */
static bool valid_id(const char *id, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(id, prefix, pl))
        return false;
    const char *hex = id + pl;
    size_t n = strlen(hex);
    if (n != 8 && n != 17)
        return false;
    for (; *hex; hex++)
        if (!isdigit((unsigned char)*hex) && !(*hex >= 'a' && *hex <= 'f'))
            return false;
    return true;
}

static bool valid_bucket(const char *b)
{
    size_t n = strlen(b);
    if (n < 3 || n > 63 || !isalnum((unsigned char)b[0]) || !isalnum((unsigned char)b[n - 1]))
        return false;
    for (const char *p = b; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '.')
            return false;
    return !strstr(b, "..");
}

/* "us-east-1", "eu-central-2", "us-gov-west-1". */
static bool valid_region(const char *r)
{
    size_t n = strlen(r), dashes = 0;
    if (n < 9 || n > 20 || !isdigit((unsigned char)r[n - 1]) || !islower((unsigned char)r[0]))
        return false;
    for (const char *p = r; *p; p++) {
        if (*p == '-')
            dashes++;
        else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p))
            return false;
    }
    return dashes >= 2 && !strstr(r, "--");
}

/* An RDS identifier: a letter, then letters, digits and single hyphens, at
 * most 63, no hyphen at the end. */
static bool valid_rds_identifier(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 63 || !isalpha((unsigned char)s[0]) || s[n - 1] == '-' || strstr(s, "--"))
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-')
            return false;
    return true;
}

/* arn:<partition>:<service>:<region>:<12 digits>:<resource starting with prefix> */
static bool valid_arn(const char *arn, const char *service, const char *region, const char *prefix)
{
    char part[32], svc[32], reg[32], account[16];
    int used = 0;
    if (sscanf(arn, "arn:%31[a-z-]:%31[a-z0-9-]:%31[a-z0-9-]:%15[0-9]:%n", part, svc, reg, account,
               &used) != 4 || !used)
        return false;
    const char *resource = arn + used;
    return !strcmp(svc, service) && !strcmp(reg, region) && strlen(account) == 12 &&
           !strncmp(resource, prefix, strlen(prefix)) && strlen(resource) > strlen(prefix);
}

static bool parse_cidr(const char *text, unsigned *addr, unsigned *prefix)
{
    unsigned a, b, c, d, n;
    char tail, canon[32];
    if (sscanf(text, "%3u.%3u.%3u.%3u/%2u%c", &a, &b, &c, &d, &n, &tail) != 5 || a > 255 ||
        b > 255 || c > 255 || d > 255 || n > 32)
        return false;
    snprintf(canon, sizeof canon, "%u.%u.%u.%u/%u", a, b, c, d, n);
    *addr = (a << 24) | (b << 16) | (c << 8) | d;
    *prefix = n;
    unsigned mask = n ? ~0u << (32 - n) : 0;
    return !strcmp(canon, text) && (*addr & ~mask) == 0;
}

static bool overlap(unsigned a, unsigned ap, unsigned b, unsigned bp)
{
    unsigned p = ap < bp ? ap : bp;
    unsigned mask = p ? ~0u << (32 - p) : 0;
    return (a & mask) == (b & mask);
}

/* Rules of one id list or tag lookup: ids well formed, or a tag to find them. */
static int check_lookup(pg_out *out, const char *what, const char *prefix, pg_list ids,
                        const char *tag_key, const char *tag_value)
{
    int rc = 0;
    const char *ids_key = pg_printf(out, "legacy.%s_ids", what);
    for (size_t i = 0; i < ids.count; i++)
        if (!valid_id(ids.items[i], prefix))
            rc = pg_fail_at(out, ids_key, "'%s' is not a %s id (%s and 8 or 17 hex digits)",
                            ids.items[i], what, prefix);
    if (ids.count)
        return rc;
    if (!*tag_value)
        return pg_fail_at(out, ids_key, "list the ids, or set legacy.%s_tag_value to find them",
                          what);
    if (!*tag_key || strlen(tag_key) > 128 || strlen(tag_value) > 256)
        rc = pg_fail_at(out, pg_printf(out, "legacy.%s_tag_key", what),
                        "a tag key of 1-128 characters and a value of 1-256 are needed");
    return rc;
}

static bool described_network(const legacy_config *cfg)
{
    return *cfg->cidr || cfg->subnet_ids.count || *cfg->subnet_tag_value ||
           cfg->route_table_ids.count || cfg->security_group_ids.count ||
           *cfg->security_group_tag_value || cfg->security_group_references;
}

static int check_network(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg)
{
    if (!*cfg->vpc_id) {
        if (described_network(cfg))
            return pg_fail_at(out, "legacy.vpc_id",
                              "the legacy network is half described: its subnets, route tables, "
                              "groups or CIDR are set but legacy.vpc_id is empty");
        return 0;
    }
    int rc = 0;
    if (!valid_id(cfg->vpc_id, "vpc-"))
        rc = pg_fail_at(out, "legacy.vpc_id", "'%s' is not a VPC id (vpc- and 8 or 17 hex digits)",
                        cfg->vpc_id);
    unsigned addr, prefix;
    if (!parse_cidr(cfg->cidr, &addr, &prefix))
        rc = pg_fail_at(out, "legacy.cidr",
                        "'%s' is not a CIDR block like 10.0.0.0/16 (needed with legacy.vpc_id)",
                        cfg->cidr);
    else
        for (size_t i = 0; i < pg_ctx_all_region_count(ctx); i++) {
            const pg_region *r = pg_ctx_all_region(ctx, i);
            unsigned ra, rp;
            if (parse_cidr(r->cidr, &ra, &rp) && overlap(addr, prefix, ra, rp))
                rc = pg_fail_at(out, "legacy.cidr",
                                "%s overlaps %s's cidr %s: the Transit Gateway cannot route "
                                "between overlapping networks",
                                cfg->cidr, r->name, r->cidr);
        }
    if (check_lookup(out, "subnet", "subnet-", cfg->subnet_ids, cfg->subnet_tag_key,
                     cfg->subnet_tag_value) < 0)
        rc = -1;
    if (!cfg->route_table_ids.count)
        rc = pg_fail_at(out, "legacy.route_table_ids",
                        "list today's route tables (rtb-...): they get the routes back to the new "
                        "VPCs");
    for (size_t i = 0; i < cfg->route_table_ids.count; i++)
        if (!valid_id(cfg->route_table_ids.items[i], "rtb-"))
            rc = pg_fail_at(out, "legacy.route_table_ids", "'%s' is not a route table id",
                            cfg->route_table_ids.items[i]);
    bool groups = cfg->security_group_ids.count || *cfg->security_group_tag_value;
    /* An adopted cluster admits today's application through today's groups;
     * references then point the other way (the new VPC's groups), and
     * today's application groups would feed nothing. */
    if (cfg->security_group_references && !legacy_adopts_cluster(cfg)) {
        if (check_lookup(out, "security_group", "sg-", cfg->security_group_ids,
                         cfg->security_group_tag_key, cfg->security_group_tag_value) < 0)
            rc = -1;
    } else if (groups) {
        /* A lookup that feeds nothing still fails the plan when it finds nothing. */
        rc = pg_fail_at(out,
                        cfg->security_group_ids.count ? "legacy.security_group_ids"
                                                      : "legacy.security_group_tag_value",
                        "today's application groups are used only with "
                        "legacy.security_group_references: true and a database that is not "
                        "adopted; remove them");
    }
    return rc;
}

static int require(pg_out *out, const char *key, const char *value, const char *why)
{
    return *value ? 0 : pg_fail_at(out, key, "is empty; %s", why);
}

static int check_aurora_only(pg_out *out, const legacy_database *db)
{
    int rc = 0;
    if (*db->subnet_group || db->security_group_ids.count || *db->master_username ||
        db->instance_identifiers.count)
        rc = pg_fail_at(out, "legacy.database.kind",
                        "rds-postgresql: subnet_group, security_group_ids, master_username and "
                        "instance_identifiers describe an Aurora cluster; remove them");
    return rc;
}

static int check_aurora(pg_out *out, const legacy_database *db)
{
    int rc = 0;
    const char *why = "an adopted cluster must keep it or Terraform replaces the cluster";
    if (require(out, "legacy.database.subnet_group", db->subnet_group, why) < 0)
        rc = -1;
    if (require(out, "legacy.database.master_username", db->master_username, why) < 0)
        rc = -1;
    if (!db->security_group_ids.count)
        rc = pg_fail_at(out, "legacy.database.security_group_ids",
                        "list today's DB security groups: the adopted cluster keeps them");
    for (size_t i = 0; i < db->security_group_ids.count; i++)
        if (!valid_id(db->security_group_ids.items[i], "sg-"))
            rc = pg_fail_at(out, "legacy.database.security_group_ids",
                            "'%s' is not a security group id", db->security_group_ids.items[i]);
    if (!db->instance_identifiers.count || db->instance_identifiers.count > 15)
        rc = pg_fail_at(out, "legacy.database.instance_identifiers",
                        "list today's 1-15 cluster instances: they are imported, not created");
    for (size_t i = 0; i < db->instance_identifiers.count; i++)
        if (!valid_rds_identifier(db->instance_identifiers.items[i]))
            rc = pg_fail_at(out, "legacy.database.instance_identifiers",
                            "'%s' is not an RDS identifier", db->instance_identifiers.items[i]);
    if (*db->move && strcmp(db->move, "adopt"))
        rc = pg_fail_at(out, "legacy.database.move",
                        "'%s': an Aurora PostgreSQL cluster is adopted as it is (leave move empty)",
                        db->move);
    return rc;
}

static int check_database(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg)
{
    const legacy_database *db = &cfg->database;
    if (!legacy_has_database(cfg)) {
        if (*db->identifier || *db->engine_version || *db->kms_key_arn || *db->move ||
            *db->subnet_group || db->security_group_ids.count || *db->master_username ||
            db->instance_identifiers.count || *db->secret_arn)
            return pg_fail_at(out, "legacy.database.kind",
                              "is none, but other legacy.database keys are set: name the kind "
                              "(aurora-postgresql or rds-postgresql) or remove them");
        return 0;
    }
    int rc = 0;
    const char *primary = pg_ctx_primary(ctx)->name;
    if (!*cfg->vpc_id)
        rc = pg_fail_at(out, "legacy.database.kind",
                        "%s needs legacy.vpc_id: the application reaches the database across "
                        "the Transit Gateway during the move",
                        db->kind);
    if (!valid_rds_identifier(db->identifier))
        rc = pg_fail_at(out, "legacy.database.identifier",
                        "'%s' is not an RDS identifier (a letter, then letters, digits and single "
                        "hyphens, at most 63)",
                        db->identifier);
    if (require(out, "legacy.database.engine_version", db->engine_version,
                "the new cluster must run the same PostgreSQL major version") < 0)
        rc = -1;
    if (!valid_arn(db->kms_key_arn, "kms", primary, "key/"))
        rc = pg_fail_at(out, "legacy.database.kms_key_arn",
                        "'%s' is not a KMS key ARN in %s (arn:aws:kms:%s:<account>:key/<id>); an "
                        "unencrypted database cannot be adopted",
                        db->kms_key_arn, primary, primary);
    if (*db->secret_arn && !valid_arn(db->secret_arn, "secretsmanager", primary, "secret:"))
        rc = pg_fail_at(out, "legacy.database.secret_arn",
                        "'%s' is not a Secrets Manager secret ARN in %s", db->secret_arn, primary);
    if (legacy_adopts_cluster(cfg))
        return check_aurora(out, db) < 0 ? -1 : rc;
    if (check_aurora_only(out, db) < 0)
        rc = -1;
    if (*db->move && strcmp(db->move, "replica") && strcmp(db->move, "dms"))
        rc = pg_fail_at(out, "legacy.database.move", "'%s' is not replica or dms", db->move);
    if (!strcmp(db->move, "dms") && !*db->secret_arn)
        rc = pg_fail_at(out, "legacy.database.secret_arn",
                        "is empty; DMS reads today's credentials from that secret");
    return rc;
}

static bool valid_zone_id(const char *z)
{
    size_t n = strlen(z);
    if (n < 1 || n > 32)
        return false;
    for (; *z; z++)
        if (!isupper((unsigned char)*z) && !isdigit((unsigned char)*z))
            return false;
    return true;
}

static int check_endpoint(pg_out *out, const legacy_config *cfg)
{
    const char *dns = cfg->endpoint_dns_name, *zone = cfg->endpoint_zone_id;
    if (!*dns && !*zone)
        return 0;
    if (!*dns || !*zone)
        return pg_fail_at(out, *dns ? "legacy.endpoint.zone_id" : "legacy.endpoint.dns_name",
                          "the legacy endpoint needs both dns_name and zone_id (a Route 53 alias "
                          "target)");
    int rc = 0;
    if (strlen(dns) > 253 || !strchr(dns, '.') || strspn(dns, "abcdefghijklmnopqrstuvwxyz"
                                                              "0123456789-.") != strlen(dns))
        rc = pg_fail_at(out, "legacy.endpoint.dns_name", "'%s' is not a lowercase DNS name", dns);
    if (!valid_zone_id(zone))
        rc = pg_fail_at(out, "legacy.endpoint.zone_id",
                        "'%s' is not a hosted zone id (uppercase letters and digits)", zone);
    return rc;
}

static int check_state(pg_out *out, const legacy_config *cfg)
{
    if (!*cfg->state_bucket)
        return 0;
    int rc = 0;
    if (!valid_bucket(cfg->state_bucket))
        rc = pg_fail_at(out, "legacy.state.bucket",
                        "'%s' is not an S3 bucket name (3-63 lowercase letters, digits, '.' or "
                        "'-')",
                        cfg->state_bucket);
    const char *key = cfg->state_key;
    if (!*key || key[0] == '/' || strlen(key) > 1024)
        rc = pg_fail_at(out, "legacy.state.key",
                        "'%s' must be an object key such as legacy/terraform.tfstate", key);
    if (*cfg->state_region && !valid_region(cfg->state_region))
        rc = pg_fail_at(out, "legacy.state.region", "'%s' is not a region name like us-east-1",
                        cfg->state_region);
    const char *o = cfg->state_vpc_id_output;
    if (!*o || strspn(o, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                   strlen(o))
        rc = pg_fail_at(out, "legacy.state.vpc_id_output", "'%s' is not an output name", o);
    if (!*cfg->vpc_id)
        rc = pg_fail_at(out, "legacy.state.bucket",
                        "the legacy state is read to check legacy.vpc_id, which is empty");
    return rc;
}

int legacy_check(const pg_ctx *ctx, pg_out *out, const legacy_config *cfg)
{
    int rc = check_network(ctx, out, cfg);
    if (check_database(ctx, out, cfg) < 0)
        rc = -1;
    if (check_endpoint(out, cfg) < 0)
        rc = -1;
    if (check_state(out, cfg) < 0)
        rc = -1;
    return rc;
}
