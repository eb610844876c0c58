/* SPDX-License-Identifier: Apache-2.0 */
/* check_report.c - paygen check output: text lines, the rule table (text or
 * Markdown, the source of docs/check.md) and SARIF 2.1.0. */
#include <stdlib.h>
#include <string.h>

#include "check.h"

static void refs(FILE *f, const pg_rule *r)
{
    fprintf(f, "[PCI DSS %s", r->pci);
    if (r->securityhub)
        fprintf(f, "; Security Hub %s", r->securityhub);
    fputc(']', f);
}

void pg_check_print_text(FILE *f, const pg_findings *fs)
{
    for (size_t i = 0; i < fs->count; i++) {
        const pg_finding *x = &fs->items[i];
        const pg_waiver *w = x->waiver;
        bool waived = pg_finding_waived(x);
        fprintf(f, "%s %s %s/%s: %s ", x->rule->id, waived ? "waived" : pg_severity_name(x->rule->severity),
                x->stack, x->address, x->message);
        refs(f, x->rule);
        if (waived)
            fprintf(f, " (waiver: %s; owner %s, expires %s, %s:%d:%d)", w->reason, w->owner, w->expires, w->file,
                    w->line, w->col);
        else if (w)
            fprintf(f, " (waiver expired %s: %s; owner %s, %s:%d:%d)", w->expires, w->reason, w->owner, w->file,
                    w->line, w->col);
        fputc('\n', f);
    }
}

void pg_check_print_rules(FILE *f, bool markdown)
{
    size_t n;
    const pg_rule *rules = pg_check_rules(&n);
    if (markdown)
        fprintf(f, "| id | title | severity | PCI DSS v4.0 | Security Hub | passes when |\n"
                   "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const pg_rule *r = &rules[i];
        if (markdown)
            fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", r->id, r->title, pg_severity_name(r->severity), r->pci,
                    r->securityhub ? r->securityhub : "—", r->detail);
        else
            fprintf(f, "%-14s %-8s %-16s %-16s %s\n", r->id, pg_severity_name(r->severity), r->pci,
                    r->securityhub ? r->securityhub : "-", r->title);
    }
}

static const char *level(pg_severity s)
{
    return s >= PG_SEV_HIGH ? "error" : s == PG_SEV_MEDIUM ? "warning" : "note";
}

/* "3.5.1, 8.3.2" as a JSON array of strings, each with prefix. */
static cJSON *split(const char *list, const char *prefix)
{
    cJSON *a = cJSON_CreateArray();
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        char *item = pg_xasprintf("%s%.*s", prefix, (int)len, p);
        cJSON_AddItemToArray(a, cJSON_CreateString(item));
        free(item);
        p += len;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return a;
}

static void add_tags(cJSON *tags, cJSON *items)
{
    cJSON *i;
    cJSON_ArrayForEach(i, items) cJSON_AddItemToArray(tags, cJSON_CreateString(i->valuestring));
}

static cJSON *waiver_properties(const pg_waiver *w, bool all)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "owner", w->owner);
    cJSON_AddStringToObject(p, "expires", w->expires);
    if (all) {
        char *at = pg_xasprintf("%s:%d:%d", w->file, w->line, w->col);
        cJSON_AddStringToObject(p, "reason", w->reason);
        cJSON_AddStringToObject(p, "source", at);
        free(at);
    }
    return p;
}

/* A SARIF 2.1.0 suppression (section 3.35): kind "external" (kept outside
 * the analysed files: the waivers file or the profile), status "accepted"
 * (reviewed there), the justification in words, and where it is written. */
static cJSON *suppression(const pg_waiver *w)
{
    cJSON *sup = cJSON_CreateObject();
    cJSON_AddStringToObject(sup, "kind", "external");
    cJSON_AddStringToObject(sup, "status", "accepted");
    char *why = pg_xasprintf("%s (owner: %s; expires: %s)", w->reason, w->owner, w->expires);
    cJSON_AddStringToObject(sup, "justification", why);
    free(why);
    cJSON *phys = cJSON_AddObjectToObject(cJSON_AddObjectToObject(sup, "location"), "physicalLocation");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(phys, "artifactLocation"), "uri", w->file);
    cJSON *region = cJSON_AddObjectToObject(phys, "region");
    cJSON_AddNumberToObject(region, "startLine", w->line);
    cJSON_AddNumberToObject(region, "startColumn", w->col);
    cJSON_AddItemToObject(sup, "properties", waiver_properties(w, false));
    return sup;
}

cJSON *pg_check_sarif(const pg_findings *fs)
{
    size_t n;
    const pg_rule *rules = pg_check_rules(&n);
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(log, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "paygen check");
#ifdef PAYGEN_VERSION
    cJSON_AddStringToObject(driver, "version", PAYGEN_VERSION);
#endif
    cJSON *jrules = cJSON_AddArrayToObject(driver, "rules");
    for (size_t i = 0; i < n; i++) {
        const pg_rule *r = &rules[i];
        cJSON *jr = cJSON_CreateObject();
        cJSON_AddStringToObject(jr, "id", r->id);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(jr, "shortDescription"), "text", r->title);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(jr, "fullDescription"), "text", r->detail);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(jr, "defaultConfiguration"), "level", level(r->severity));
        cJSON *props = cJSON_AddObjectToObject(jr, "properties");
        cJSON *pci = split(r->pci, ""), *sh = split(r->securityhub, "");
        cJSON *tags = cJSON_AddArrayToObject(props, "tags");
        cJSON *pci_tags = split(r->pci, "PCI DSS "), *sh_tags = split(r->securityhub, "Security Hub ");
        add_tags(tags, pci_tags);
        add_tags(tags, sh_tags);
        cJSON_Delete(pci_tags);
        cJSON_Delete(sh_tags);
        cJSON_AddItemToObject(props, "pci-dss", pci);
        cJSON_AddItemToObject(props, "security-hub", sh);
        cJSON_AddStringToObject(props, "severity", pg_severity_name(r->severity));
        cJSON_AddItemToArray(jrules, jr);
    }
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < fs->count; i++) {
        const pg_finding *x = &fs->items[i];
        cJSON *res = cJSON_CreateObject();
        cJSON_AddStringToObject(res, "ruleId", x->rule->id);
        cJSON_AddNumberToObject(res, "ruleIndex", (double)(x->rule - rules));
        cJSON_AddStringToObject(res, "level", level(x->rule->severity));
        cJSON_AddStringToObject(cJSON_AddObjectToObject(res, "message"), "text", x->message);
        if (pg_finding_waived(x))
            cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "suppressions"), suppression(x->waiver));
        else if (x->waiver) /* expired: no suppression, which some consumers would honour whatever its status */
            cJSON_AddItemToObject(cJSON_AddObjectToObject(res, "properties"), "expiredWaiver",
                                  waiver_properties(x->waiver, true));
        cJSON *loc = cJSON_CreateObject();
        cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"), loc);
        if (x->file)
            cJSON_AddStringToObject(
                cJSON_AddObjectToObject(cJSON_AddObjectToObject(loc, "physicalLocation"), "artifactLocation"), "uri",
                x->file);
        cJSON *ll = cJSON_CreateObject();
        cJSON_AddItemToArray(cJSON_AddArrayToObject(loc, "logicalLocations"), ll);
        char *fq = pg_xasprintf("%s/%s", x->stack, x->address);
        cJSON_AddStringToObject(ll, "name", x->address);
        cJSON_AddStringToObject(ll, "fullyQualifiedName", fq);
        cJSON_AddStringToObject(ll, "kind", "resource");
        free(fq);
        cJSON_AddItemToArray(results, res);
    }
    return log;
}
