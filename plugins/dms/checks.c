/* SPDX-License-Identifier: Apache-2.0 */
/* checks.c - what DMS would refuse only at apply time (or later, when the
 * task starts), checked at generation with the place each value came from. */
#include "dms.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* "dms.r6i.large": the prefix, a family and a size (CreateReplicationInstance,
 * ReplicationInstanceClass). */
static bool valid_class(const char *c)
{
    if (strncmp(c, "dms.", 4))
        return false;
    const char *family = c + 4, *dot = strchr(family, '.');
    if (!dot || dot == family || !dot[1] || strchr(dot + 1, '.'))
        return false;
    for (const char *p = family; *p; p++)
        if (p != dot && !islower((unsigned char)*p) && !isdigit((unsigned char)*p))
            return false;
    return true;
}

/* "3.5.3", or empty for the default version. */
static bool valid_engine_version(const char *v)
{
    unsigned a, b, c;
    char tail;
    return !*v || sscanf(v, "%u.%u.%u%c", &a, &b, &c, &tail) == 3;
}

/* ddd:hh:mi-ddd:hh:mi, the format the provider checks
 * (verify.ValidOnceAWeekWindowFormat) and the API takes. */
static bool valid_day_time(const char *s)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    bool day = false;
    for (size_t i = 0; i < 7; i++)
        day |= !strncmp(s, days[i], 3);
    unsigned h, m;
    char colon1, colon2;
    return day && sscanf(s + 3, "%c%2u%c%2u", &colon1, &h, &colon2, &m) == 4 && colon1 == ':' &&
           colon2 == ':' && h < 24 && m < 60 && isdigit((unsigned char)s[4]) &&
           isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[7]) &&
           isdigit((unsigned char)s[8]);
}

static bool valid_window(const char *w)
{
    return strlen(w) == 19 && w[9] == '-' && valid_day_time(w) && valid_day_time(w + 10);
}

/* An unquoted PostgreSQL identifier: a letter or '_', then letters, digits
 * and '_', at most 63 bytes (NAMEDATALEN - 1). Lower case: unquoted names
 * are folded to it, and DMS matches the catalogue's spelling. */
static bool valid_identifier(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 63 || (!islower((unsigned char)s[0]) && s[0] != '_'))
        return false;
    for (const char *p = s; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
            return false;
    return true;
}

/* arn:<partition>:dms:<region>:<12 digits>:cert:<id> (ImportCertificate). */
static bool valid_cert_arn(const char *arn, const char *region)
{
    char partition[32], reg[32], account[16];
    int used = 0;
    if (sscanf(arn, "arn:%31[a-z-]:dms:%31[a-z0-9-]:%15[0-9]:cert:%n", partition, reg, account,
               &used) != 3 || !used)
        return false;
    return !strcmp(reg, region) && strlen(account) == 12 && arn[used] != '\0';
}

int dms_check_settings(pg_out *out, const dms_config *cfg, const dms_inputs *in)
{
    int rc = 0;
    if (!valid_class(cfg->instance_class))
        rc = pg_fail_at(out, "dms.instance_class",
                        "'%s' is not a replication instance class like dms.r6i.large",
                        cfg->instance_class);
    if (!valid_engine_version(cfg->engine_version))
        rc = pg_fail_at(out, "dms.engine_version",
                        "'%s' is not a DMS engine version like 3.5.3 (empty: the default)",
                        cfg->engine_version);
    if (!valid_window(cfg->maintenance_window))
        rc = pg_fail_at(out, "dms.preferred_maintenance_window",
                        "'%s' is not a weekly window ddd:hh:mi-ddd:hh:mi (UTC)",
                        cfg->maintenance_window);
    if (!cfg->schemas.count)
        rc = pg_fail_at(out, "dms.schemas", "is empty: name the schemas whose tables move");
    for (size_t i = 0; i < cfg->schemas.count; i++)
        if (!valid_identifier(cfg->schemas.items[i]))
            rc = pg_fail_at(out, "dms.schemas",
                            "'%s' is not a lower-case PostgreSQL schema name (letters, digits, "
                            "'_', at most 63)",
                            cfg->schemas.items[i]);
    if (!valid_identifier(cfg->source_database))
        rc = pg_fail_at(out, "dms.source_database",
                        "'%s' is not a lower-case PostgreSQL database name", cfg->source_database);
    if (!valid_identifier(cfg->target_database))
        rc = pg_fail_at(out, "dms.target_database",
                        "'%s' is not a lower-case PostgreSQL database name", cfg->target_database);
    if (*cfg->ca_certificate_arn && !valid_cert_arn(cfg->ca_certificate_arn, in->r->name))
        rc = pg_fail_at(out, "dms.ca_certificate_arn",
                        "'%s' is not a DMS certificate ARN in %s "
                        "(arn:aws:dms:%s:<account>:cert:<id>, from aws dms import-certificate)",
                        cfg->ca_certificate_arn, in->r->name, in->r->name);
    return rc;
}
