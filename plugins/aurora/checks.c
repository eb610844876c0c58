/* SPDX-License-Identifier: Apache-2.0 */
/* checks.c - the database.* settings, checked before anything is written:
 * RDS refuses bad values only at apply time, mid-migration. */
#include "aurora.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define WEEK (7 * 24 * 60)

static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "hh:mi" -> minutes of the day, or -1. */
static int clock_minutes(const char *s)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* "ddd:hh:mi" -> minutes of the week, or -1. */
static int week_minutes(const char *s)
{
    for (int d = 0; d < 7; d++)
        if (!strncmp(s, days[d], 3) && s[3] == ':') {
            int m = clock_minutes(s + 4);
            return m < 0 ? -1 : d * 24 * 60 + m;
        }
    return -1;
}

/* Marks [from, to) on a circle of `period` minutes; returns its length. */
static int mark(bool *used, int period, int from, int to)
{
    int len = (to - from + period) % period;
    for (int i = 0; i < len; i++)
        used[(from + i) % period] = true;
    return len;
}

static int check_windows(pg_out *out, const char *backup, const char *maint)
{
    static bool week[WEEK];
    memset(week, 0, sizeof week);
    int b0 = strlen(backup) == 11 && backup[5] == '-' ? clock_minutes(backup) : -1;
    int b1 = b0 >= 0 ? clock_minutes(backup + 6) : -1;
    if (b0 < 0 || b1 < 0)
        return pg_fail(out, "database.preferred_backup_window '%s' is not hh:mi-hh:mi (UTC)",
                       backup);
    int m0 = strlen(maint) == 19 && maint[9] == '-' ? week_minutes(maint) : -1;
    int m1 = m0 >= 0 ? week_minutes(maint + 10) : -1;
    if (m0 < 0 || m1 < 0)
        return pg_fail(out,
                       "database.preferred_maintenance_window '%s' is not ddd:hh:mi-ddd:hh:mi (UTC)",
                       maint);
    if (mark(week, WEEK, m0, m1) < 30)
        return pg_fail(out,
                       "database.preferred_maintenance_window '%s' is shorter than 30 minutes",
                       maint);
    bool day[24 * 60] = {0};
    if (mark(day, 24 * 60, b0, b1) < 30)
        return pg_fail(out, "database.preferred_backup_window '%s' is shorter than 30 minutes",
                       backup);
    /* The backup window recurs daily; the maintenance window weekly. */
    for (int i = 0; i < WEEK; i++)
        if (week[i] && day[i % (24 * 60)])
            return pg_fail(out,
                           "database.preferred_backup_window '%s' overlaps "
                           "database.preferred_maintenance_window '%s'; RDS rejects overlapping "
                           "windows",
                           backup, maint);
    return 0;
}

bool aurora_identifier_ok(const char *id)
{
    size_t n = strlen(id);
    bool ok =
        n >= 1 && n <= 63 && islower((unsigned char)id[0]) && id[n - 1] != '-' && !strstr(id, "--");
    for (size_t i = 0; ok && i < n; i++)
        ok = islower((unsigned char)id[i]) || isdigit((unsigned char)id[i]) || id[i] == '-';
    return ok;
}

int aurora_check_identifier(pg_out *out, const char *id, const char *what)
{
    bool ok = aurora_identifier_ok(id);
    if (!ok)
        pg_error(out,
                 "%s identifier '%s' breaks the RDS rules: 1-63 lowercase letters, digits or "
                 "hyphens, a letter first, no '--', no trailing '-'",
                 what, id);
    return ok ? 0 : -1;
}

bool aurora_version_parse(const char *version, int *major, int *minor)
{
    int used = 0;
    if (!version || !isdigit((unsigned char)version[0]) ||
        sscanf(version, "%d.%d%n", major, minor, &used) != 2 || version[used] || *minor < 0)
        return false;
    return *major >= 11;
}

const char *aurora_family(pg_out *out, const char *version)
{
    int major, minor;
    if (!aurora_version_parse(version, &major, &minor))
        return NULL;
    return pg_printf(out, "aurora-postgresql%d", major);
}

/* The lowest minor of each major that an Aurora global database runs, in
 * every commercial region paygen is used in (us-east-1 and us-east-2 among
 * them): "Supported Regions and DB engines for Aurora global databases",
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html
 * Major 11: 11.9 and 11.12 or higher. Majors 15-17: every Aurora release
 * (15.2, 16.1 and 17.4 are the first ones). A major not listed here is
 * refused until it is checked against that page and added. */
static const struct {
    int major, minor;
} global_versions[] = {
    {11, 12}, {12, 7}, {13, 3}, {14, 3}, {15, 2}, {16, 1}, {17, 4},
};

int aurora_check_global_version(pg_out *out, const char *version, const char *key)
{
    int major, minor;
    if (!aurora_version_parse(version, &major, &minor))
        return pg_fail_at(out, key, "'%s' is not an Aurora PostgreSQL version like 15.4", version);
    for (size_t i = 0; i < sizeof global_versions / sizeof *global_versions; i++) {
        if (global_versions[i].major != major)
            continue;
        if (minor >= global_versions[i].minor || (major == 11 && minor == 9))
            return 0;
        return pg_fail_at(out, key,
                          "Aurora PostgreSQL %s cannot run in a global database; version %d "
                          "needs %d.%d or higher (Aurora global database supported versions)",
                          version, major, major, global_versions[i].minor);
    }
    return pg_fail_at(out, key,
                      "Aurora PostgreSQL %s: major version %d is not one paygen knows a global "
                      "database to run (11.9, 11.12+, 12.7+, 13.3+, 14.3+, 15.2+, 16.1+, 17.4+)",
                      version, major);
}

int aurora_check_settings(pg_out *out, const aurora_config *cfg)
{
    if (*cfg->rotation_lambda && strncmp(cfg->rotation_lambda, "arn:", 4))
        return pg_fail(out, "database.rotation_lambda_arn '%s' is not an ARN",
                       cfg->rotation_lambda);
    int part = 0, parts = 0;
    for (const char *v = cfg->rotation_app_version; parts >= 0 && *v; v++)
        if (isdigit((unsigned char)*v))
            part++;
        else if (*v == '.' && part)
            part = 0, parts++;
        else
            parts = -1;
    if (parts != 2 || !part)
        return pg_fail_at(out, "database.rotation_app_version",
                          "'%s' is not a semantic version like 1.1.671",
                          cfg->rotation_app_version);
    if (!aurora_family(out, cfg->engine_version))
        return pg_fail(out,
                       "database.engine_version '%s' is not an Aurora PostgreSQL version like 15.4",
                       cfg->engine_version);
    /* Global databases run on memory-optimised classes; burstable ones are refused. */
    if (strncmp(cfg->instance_class, "db.", 3) || !strncmp(cfg->instance_class, "db.t", 4) ||
        !strcmp(cfg->instance_class, "db.serverless"))
        return pg_fail(out,
                       "database.instance_class '%s' cannot serve an Aurora global database; use "
                       "a db.r* class such as db.r6g.large (burstable db.t* classes are not "
                       "supported)",
                       cfg->instance_class);
    const char *u = cfg->master_username;
    bool user_ok = strlen(u) >= 1 && strlen(u) <= 63 && isalpha((unsigned char)u[0]) &&
                   strcmp(u, "postgres") && strncmp(u, "rds", 3);
    for (size_t i = 0; user_ok && u[i]; i++)
        user_ok = isalnum((unsigned char)u[i]) || u[i] == '_';
    if (!user_ok)
        return pg_fail(out,
                       "database.master_username '%s' must be 1-63 letters, digits or '_', start "
                       "with a letter, and not be a reserved name (postgres, rds*)",
                       u);
    const char *a = cfg->app_username;
    bool app_ok = strlen(a) >= 1 && strlen(a) <= 63 && isalpha((unsigned char)a[0]) &&
                  strcmp(a, "postgres") && strncmp(a, "rds", 3) && strcmp(a, u);
    for (size_t i = 0; app_ok && a[i]; i++)
        app_ok = isalnum((unsigned char)a[i]) || a[i] == '_';
    if (!app_ok)
        return pg_fail_at(out, "database.app_username",
                          "'%s' must be 1-63 letters, digits or '_', start with a letter, not be "
                          "a reserved name (postgres, rds*) and not be the master user",
                          a);
    const char *d = cfg->database_name;
    bool db_ok = strlen(d) >= 1 && strlen(d) <= 63 && isalpha((unsigned char)d[0]);
    for (size_t i = 0; db_ok && d[i]; i++)
        db_ok = isalnum((unsigned char)d[i]) || d[i] == '_';
    if (!db_ok)
        return pg_fail(
            out, "database.name '%s' must be 1-63 letters, digits or '_', starting with a letter",
            d);
    return check_windows(out, cfg->backup_window, cfg->maintenance_window);
}
