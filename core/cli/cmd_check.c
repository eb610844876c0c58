/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_check.c - paygen check [--format text|sarif] [--waivers FILE] [--profile P]
 * [--allow-critical-waivers] [-v] PATH... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "commands.h"
#include "inputs.h"
#include "options.h"
#include "profile.h"

static const pg_cli_command check_cmd = {
    .synopsis = "check [--format text|sarif] [--waivers FILE] [--profile FILE]\n"
                " [--allow-critical-waivers] [-v] PATH...\n"
                "check --list-rules [--format text|markdown]",
    .operand = "PATH",
    .operand_help = "an output directory (manifest.json, stacks/*/cdk.tf.json) or a cdk.tf.json",
    .uses = (const pg_cli_use[]){
        {PG_OPT_FORMAT, "text (default), sarif (SARIF 2.1.0 on stdout) or, with --list-rules, markdown"},
        {PG_OPT_LIST_RULES, NULL},
        {PG_OPT_WAIVERS, NULL},
        {PG_OPT_PROFILE, "also take the waivers of this profile's check.waivers\n"
                         "('RULE-ID: owner | YYYY-MM-DD | reason')"},
        {PG_OPT_ALLOW_EXTENDS_OUTSIDE, NULL},
        {PG_OPT_ALLOW_CRITICAL_WAIVERS, NULL},
        {PG_OPT_VERBOSE, "also list the rules that passed or had nothing to check"},
        {PG_OPT_COUNT, NULL},
    },
    .notes = "  Waivers come from reviewed files only (--waivers, --profile), never from the output:\n"
             "  manifest.json's are ignored. A waived finding is still reported, with its reason, owner\n"
             "  and expiry, and does not fail the check; from its expiry date on a waiver waives nothing.\n"
             "exit status: 0 no unwaived violation, 1 violations, an expired waiver, a bad waiver or\n"
             "  unreadable input, 2 usage error\n",
    .flags = PG_CLI_OPERANDS,
};

/* The waivers of --waivers FILE and of --profile's check.waivers. */
static int load_waivers(const pg_cli_args *a, pg_waivers *w, pg_errors *err)
{
    pg_waiver_policy pol = {.allow_critical = a->allow_critical_waivers};
    pg_waivers_today(pol.today);
    int rc = 0;
    if (a->waivers && pg_waivers_load(w, a->waivers, &pol, err) != 0)
        rc = -1;
    if (a->o.profile) {
        pg_profile p = {.allow_outside = a->o.allow_extends_outside};
        if (pg_profile_load(&p, a->o.profile, err) != 0) {
            rc = -1;
        } else {
            const pg_value *v = pg_profile_find(&p, "check.waivers");
            if (v && v->text) {
                pg_errors_add(err, "%s:%d:%d: check.waivers must be a list", v->at.file, v->at.line, v->at.col);
                rc = -1;
            }
            for (size_t i = 0; v && i < v->item_count; i++)
                if (pg_waivers_add_text(w, v->items[i], v->at.file, v->at.line, v->at.col, i + 1, &pol, err) != 0)
                    rc = -1;
        }
        pg_profile_free(&p);
    }
    return rc;
}

/* A waiver past its date fails the check until the reviewed file renews
 * or removes it; it waives nothing meanwhile. */
static int report_expired(const pg_waivers *waivers)
{
    int rc = 0;
    for (size_t i = 0; i < waivers->count; i++) {
        const pg_waiver *w = &waivers->items[i];
        if (!w->expired)
            continue;
        fprintf(stderr, "paygen: %s:%d:%d: the waiver of %s (owner %s) expired on %s: not applied\n", w->file,
                w->line, w->col, w->rule->id, w->owner, w->expires);
        rc = 1;
    }
    return rc;
}

/* manifest.json's waivers are not read: whoever can edit the output could
 * waive any rule. Said once per PATH, so that nobody relies on them. */
static void note_manifest_waivers(const pg_cli_args *a, const char *path, const pg_input_doc *doc)
{
    int listed = cJSON_GetArraySize(doc->waivers);
    if (listed > 0)
        fprintf(stderr, "paygen: check: %s: manifest.json lists %d waiver%s: ignored%s\n", path, listed,
                listed == 1 ? "" : "s",
                a->waivers || a->o.profile ? " (only --waivers and --profile are read)"
                                           : "; pass --waivers FILE or --profile FILE");
}

/* The SARIF log of fs (none: the rules alone) on stdout. */
static void print_sarif(const pg_findings *fs)
{
    cJSON *log = pg_check_sarif(fs);
    char *text = cJSON_Print(log);
    puts(text);
    cJSON_free(text);
    cJSON_Delete(log);
}

static int check(const pg_cli_args *a)
{
    const char *format = a->format;
    bool list = a->list_rules, verbose = a->verbosity > 0;
    bool sarif = !strcmp(format, "sarif"), markdown = !strcmp(format, "markdown");
    if (!sarif && !markdown && strcmp(format, "text")) {
        fprintf(stderr, "paygen: unknown format '%s' (text, sarif or markdown)\n", format);
        return 2;
    }
    if (list) {
        if (sarif) {
            pg_findings none = {0};
            print_sarif(&none);
        } else {
            pg_check_print_rules(stdout, markdown);
        }
        return 0;
    }
    if (markdown) {
        fprintf(stderr, "paygen: --format markdown is only for --list-rules\n");
        return 2;
    }
    if (a->operand_count == 0) {
        fprintf(stderr, "paygen: check needs at least one PATH\n");
        pg_cli_usage(stderr, &check_cmd);
        return 2;
    }
    pg_errors err = {0};
    pg_waivers waivers = {0};
    if (load_waivers(a, &waivers, &err) != 0) {
        pg_waivers_free(&waivers);
        return pg_report(&err);
    }
    int rc = report_expired(&waivers);
    pg_inputs in = {0};
    for (int i = 0; i < a->operand_count; i++) {
        size_t first = in.count;
        if (pg_inputs_add(&in, a->operands[i], &err) != 0)
            rc = 1;
        if (first < in.count)
            note_manifest_waivers(a, a->operands[i], &in.items[first]);
    }
    pg_report(&err); /* the unreadable inputs; the readable ones are checked */
    size_t nrules;
    const pg_rule *rules = pg_check_rules(&nrules);
    bool *applies = pg_xcalloc(nrules, sizeof *applies);
    pg_findings fs = {0};
    size_t open = 0;
    for (size_t i = 0; i < in.count; i++) {
        size_t first = fs.count;
        pg_check_stack(in.items[i].doc, in.items[i].stack, in.items[i].file, in.items[i].protection, &fs, applies);
        open += pg_check_waive(&fs, first, &waivers);
    }
    if (sarif) {
        print_sarif(&fs);
    } else {
        pg_check_print_text(stdout, &fs);
        if (verbose)
            for (size_t r = 0; r < nrules; r++) {
                bool failed = false;
                for (size_t k = 0; k < fs.count; k++)
                    failed |= fs.items[k].rule == &rules[r];
                if (!failed)
                    printf("%s %s\n", rules[r].id, applies[r] ? "pass" : "not applicable");
            }
        fprintf(stderr, "paygen: check: %zu document%s, %zu violation%s, %zu waived\n", in.count,
                in.count == 1 ? "" : "s", open, open == 1 ? "" : "s", fs.count - open);
    }
    if (open)
        rc = 1;
    free(applies);
    pg_findings_free(&fs);
    pg_inputs_free(&in);
    pg_waivers_free(&waivers);
    return rc;
}

int pg_cmd_check(int argc, char **argv)
{
    pg_cli_args a;
    int rc = pg_cli_parse(&a, &check_cmd, argc, argv);
    if (rc < 0)
        rc = check(&a);
    pg_cli_args_free(&a);
    return rc;
}
