/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_diff.c - paygen diff: what a phase step, and its rollback, do to every
 * resource, and whether they destroy data or drop traffic. The side
 * "nothing" is an empty configuration: `paygen diff nothing legacy.yaml` is
 * the adoption step, where import blocks bring today's platform under
 * management. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "diff.h"
#include "generate.h"
#include "inputs.h"
#include "options.h"

static const pg_cli_command diff_cmd = {
    .synopsis = "diff [--format text|json] [--set KEY=VALUE]... [--plugin-path DIR]...\n"
                " --from A --to B        (or: paygen diff A B; A may be 'nothing')",
    .uses = (const pg_cli_use[]){
        {PG_OPT_FROM, "one side of the step: a profile, an output directory or 'nothing'"},
        {PG_OPT_TO, NULL},
        {PG_OPT_FORMAT, "text (default) or json"},
        {PG_OPT_SET, "override a profile value on both sides (repeatable)"},
        {PG_OPT_PLUGIN_PATH, NULL},
        {PG_OPT_ALLOW_EXTENDS_OUTSIDE, NULL},
        {PG_OPT_COUNT, NULL},
    },
    .notes = "  A and B are profiles (generated in memory) or output directories; 'nothing' is an empty\n"
             "  configuration (./nothing for a path of that name): 'paygen diff nothing legacy.yaml' is\n"
             "  the adoption step, before the first apply over the platform that runs today.\n"
             "  Lists added (+), adopted by an import block (>), changed (~), replaced (!) and removed (-)\n"
             "  resources per stack, grouped by region and plugin, flags stateful, protected, serving and\n"
             "  adopted resources a step destroys and replicas it promotes, says what to do first, and\n"
             "  gives a verdict for the step A -> B, for the adoption (when A is 'nothing' or the step\n"
             "  imports anything) and for the rollback B -> A.\n"
             "  Exit status: 0 the step A -> B is safe, 1 it is unsafe, 2 error.\n",
    .flags = PG_CLI_OPERANDS | PG_CLI_BAD_OPTION,
};

static const char *const kind_names[PG_CHANGE_KINDS] = {"added", "removed", "changed", "replaced",
                                                        "adopted"};
static const char kind_marks[PG_CHANGE_KINDS] = {'+', '-', '~', '!', '>'};

/* The side that stands for "no configuration yet". */
static const char nothing[] = "nothing";

typedef struct side {
    pg_generation g;
    pg_inputs files;               /* an output directory, read by inputs.c */
    pg_resources res[PG_STACK_COUNT];
    bool generated;
    bool empty;                    /* "nothing": every stack without resources */
} side;

/* Each stack's resources, in whichever JSON form they are written. */
static int read_resources(side *s, const char *path, pg_errors *err)
{
    int rc = 0;
    for (size_t i = 0; i < PG_STACK_COUNT; i++) {
        const pg_input_doc *in = NULL;
        for (size_t k = 0; !s->generated && k < s->files.count; k++)
            if (!strcmp(s->files.items[k].stack, pg_stack_names[i]))
                in = &s->files.items[k];
        if (!s->generated && !in) {
            pg_errors_add(err, "%s: no stacks/%s/cdk.tf.json", path, pg_stack_names[i]);
            return -1;
        }
        char *where = in ? pg_xstrdup(in->file) : pg_xasprintf("%s (stack %s)", path, pg_stack_names[i]);
        rc |= pg_resources_read(&s->res[i], in ? in->doc : s->g.out.stacks[i], where, err);
        free(where);
    }
    return rc;
}

static int load_side(side *s, const char *path, pg_options *o, pg_errors *err)
{
    struct stat st;
    if (!strcmp(path, nothing)) {
        s->empty = true;
        return 0;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (pg_inputs_add(&s->files, path, err) != 0)
            return -1;
    } else {
        o->profile = path;
        s->generated = true;
        if (pg_generate(&s->g, o, err) != 0)
            return -1;
    }
    return read_resources(s, path, err);
}

static void free_side(side *s)
{
    if (s->generated)
        pg_generation_free(&s->g);
    pg_inputs_free(&s->files);
    for (size_t i = 0; i < PG_STACK_COUNT; i++)
        pg_resources_free(&s->res[i]);
}

/* The plugin that wrote an address on the side where it exists. */
static void attribute(pg_diff *d, side *from, side *to, pg_stack stack)
{
    for (size_t i = 0; i < d->count; i++) {
        pg_change *c = &d->changes[i];
        side *s = c->kind == PG_ADDED ? to : from;
        if (!s->generated)
            continue;
        const pg_block_info *b = pg_out_find(&s->g.out, stack, c->address);
        c->plugin = b ? b->plugin : NULL;
    }
}

typedef struct direction {
    pg_diff stacks[PG_STACK_COUNT];
    size_t dangerous;
    size_t promoted, reattached;    /* of the dangerous: replica steps, not destructions */
    size_t adopted, added, existing_destroyed; /* the adoption's verdict */
} direction;

static void compute(direction *dir, side *from, side *to)
{
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        pg_diff_resources(&dir->stacks[s], &from->res[s], &to->res[s]);
        attribute(&dir->stacks[s], from, to, (pg_stack)s);
        dir->adopted += pg_diff_count(&dir->stacks[s], PG_ADOPTED);
        dir->added += pg_diff_count(&dir->stacks[s], PG_ADDED);
        for (size_t i = 0; i < dir->stacks[s].count; i++) {
            const pg_change *c = &dir->stacks[s].changes[i];
            dir->dangerous += pg_change_is_dangerous(c);
            dir->existing_destroyed += c->destroys_existing;
            dir->promoted += c->replica == PG_REPLICA_PROMOTED;
            dir->reattached += c->replica == PG_REPLICA_REATTACHED;
        }
    }
}

/* The tag after a change that needs a step first. */
static void print_marks(const pg_change *c)
{
    if (c->replica != PG_REPLICA_NONE)
        printf("  <replica%s>", c->protected_ ? ", protected" : "");
    else if (c->kind == PG_ADOPTED)
        printf("  <adopted%s>", c->stateful ? ", stateful" : "");
    else if (pg_change_is_dangerous(c))
        printf("  <%s%s%s>", c->stateful ? "stateful" : c->traffic ? "serving" : "",
               c->protected_ ? ", protected" : "", c->adopted ? ", adopted" : "");
}

static void print_text_stack(const char *name, const pg_diff *d)
{
    size_t counts[PG_CHANGE_KINDS] = {0};
    for (size_t i = 0; i < d->count; i++)
        counts[d->changes[i].kind]++;
    printf("stack %s: %zu added, ", name, counts[PG_ADDED]);
    if (counts[PG_ADOPTED])
        printf("%zu adopted, ", counts[PG_ADOPTED]);
    printf("%zu changed, %zu replaced, %zu removed\n", counts[PG_CHANGED], counts[PG_REPLACED],
           counts[PG_REMOVED]);
    const char *region = "", *plugin = "";
    for (size_t i = 0; i < d->count; i++) {
        const pg_change *c = &d->changes[i];
        const char *r = c->region ? c->region : "global", *p = c->plugin ? c->plugin : "";
        if (strcmp(r, region) || strcmp(p, plugin))
            printf("  [%s%s%s]\n", r, *p ? " / " : "", p);
        region = r;
        plugin = p;
        printf("    %c %s", kind_marks[c->kind], c->address);
        if (c->detail)
            printf(": %s", c->detail);
        if (c->kind == PG_ADOPTED && !c->destroys_existing)
            printf(" (import id %s)", c->import_id);
        print_marks(c);
        printf("\n");
        if (c->note)
            printf("        %s\n", c->note);
        if (c->advice)
            printf("        first: %s\n", c->advice);
        else if (pg_change_is_dangerous(c))
            printf("        first: its protection lives in the block that goes away; Terraform "
                   "destroys it unless you keep it with 'terraform state rm'\n");
    }
}

static void print_verdict(const char *label, const char *a, const char *b, const direction *dir)
{
    if (!dir->dangerous) {
        printf("%s %s -> %s: safe: nothing stateful, protected or serving is destroyed or "
               "replaced\n",
               label, a, b);
        return;
    }
    size_t destroyed = dir->dangerous - dir->promoted - dir->reattached;
    const char *sep = "";
    printf("%s %s -> %s: UNSAFE: ", label, a, b);
    if (destroyed) {
        printf("%zu stateful, protected or serving resource%s destroyed", destroyed,
               destroyed == 1 ? "" : "s");
        sep = ", ";
    }
    if (dir->promoted) {
        printf("%s%zu replica%s promoted", sep, dir->promoted, dir->promoted == 1 ? "" : "s");
        sep = ", ";
    }
    if (dir->reattached)
        printf("%s%zu cluster%s made a replica again (refused by the provider)", sep, dir->reattached,
               dir->reattached == 1 ? "" : "s");
    printf("; do the 'first:' steps, then apply\n");
}

/* The adoption's own verdict: what the import blocks bring in and whether
 * any of it is destroyed or replaced. Printed when something is imported. */
static bool adoption_applies(const direction *dir, bool from_nothing)
{
    return from_nothing || dir->adopted || dir->existing_destroyed;
}

static void print_adoption(const char *a, const char *b, const direction *dir)
{
    if (dir->existing_destroyed) {
        printf("adoption %s -> %s: UNSAFE: %zu existing resource%s adopted by import would be "
               "replaced or destroyed; do not apply until the 'first:' steps are done\n",
               a, b, dir->existing_destroyed, dir->existing_destroyed == 1 ? "" : "s");
        return;
    }
    if (!dir->adopted) {
        printf("adoption %s -> %s: nothing is imported; every resource is new (today's objects are "
               "referenced, not managed)\n",
               a, b);
        return;
    }
    printf("adoption %s -> %s: %zu existing resource%s brought under management by import, "
           "nothing adopted is replaced",
           a, b, dir->adopted, dir->adopted == 1 ? "" : "s");
    /* what the first plan over an empty state says, stack by stack */
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        size_t adopted = pg_diff_count(&dir->stacks[s], PG_ADOPTED);
        if (adopted)
            printf("; stacks/%s: terraform plan must read \"Plan: %zu to import, %zu to add, ..., "
                   "0 to destroy\"",
                   pg_stack_names[s], adopted, pg_diff_count(&dir->stacks[s], PG_ADDED));
    }
    printf("\n");
}

static cJSON *json_direction(const direction *dir, const char *a, const char *b)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", a);
    cJSON_AddStringToObject(o, "to", b);
    cJSON_AddBoolToObject(o, "safe", dir->dangerous == 0);
    cJSON *stacks = cJSON_AddObjectToObject(o, "stacks");
    for (size_t s = 0; s < PG_STACK_COUNT; s++) {
        cJSON *list = cJSON_AddArrayToObject(stacks, pg_stack_names[s]);
        for (size_t i = 0; i < dir->stacks[s].count; i++) {
            const pg_change *c = &dir->stacks[s].changes[i];
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "change", kind_names[c->kind]);
            cJSON_AddStringToObject(j, "address", c->address);
            cJSON_AddItemToObject(j, "region", c->region ? cJSON_CreateString(c->region) : cJSON_CreateNull());
            cJSON_AddItemToObject(j, "plugin", c->plugin ? cJSON_CreateString(c->plugin) : cJSON_CreateNull());
            if (c->detail)
                cJSON_AddStringToObject(j, "arguments", c->detail);
            if (c->import_id)
                cJSON_AddStringToObject(j, "import_id", c->import_id);
            if (c->note)
                cJSON_AddStringToObject(j, "note", c->note);
            if (c->replica != PG_REPLICA_NONE)
                cJSON_AddStringToObject(j, "replica",
                                        c->replica == PG_REPLICA_PROMOTED ? "promoted" : "reattached");
            cJSON_AddBoolToObject(j, "adopted", c->adopted);
            cJSON_AddBoolToObject(j, "stateful", c->stateful);
            cJSON_AddBoolToObject(j, "protected", c->protected_);
            cJSON_AddBoolToObject(j, "serving", c->traffic);
            cJSON_AddBoolToObject(j, "dangerous", pg_change_is_dangerous(c));
            if (c->advice)
                cJSON_AddStringToObject(j, "first", c->advice);
            cJSON_AddItemToArray(list, j);
        }
    }
    return o;
}

int pg_cmd_diff(int argc, char **argv)
{
    pg_cli_args args;
    int rc = pg_cli_parse(&args, &diff_cmd, argc, argv);
    const char *a = args.from, *b = args.to;
    if (rc < 0 && !a && !b && args.operand_count == 2) {
        a = args.operands[0];
        b = args.operands[1];
    } else if (rc < 0 && (!a || !b || args.operand_count)) {
        fprintf(stderr, "paygen: diff needs --from A and --to B\n");
        pg_cli_usage(stderr, &diff_cmd);
        rc = 2;
    }
    bool json = !strcmp(args.format, "json");
    if (rc < 0 && !json && strcmp(args.format, "text")) {
        fprintf(stderr, "paygen: unknown format '%s' (text or json)\n", args.format);
        rc = 2;
    }
    if (rc >= 0) {
        pg_cli_args_free(&args);
        return rc;
    }
    pg_options o = args.o;
    pg_errors err = {0};
    side from = {0}, to = {0};
    if (load_side(&from, a, &o, &err) == 0 && load_side(&to, b, &o, &err) == 0) {
        direction forward = {0}, back = {0};
        compute(&forward, &from, &to);
        compute(&back, &to, &from);
        if (json) {
            cJSON *doc = cJSON_CreateObject();
            cJSON_AddItemToObject(doc, "step", json_direction(&forward, a, b));
            if (adoption_applies(&forward, from.empty)) {
                cJSON *ad = cJSON_AddObjectToObject(doc, "adoption");
                cJSON_AddNumberToObject(ad, "adopted", (double)forward.adopted);
                cJSON_AddNumberToObject(ad, "created", (double)forward.added);
                cJSON_AddNumberToObject(ad, "existing_destroyed", (double)forward.existing_destroyed);
                cJSON_AddBoolToObject(ad, "safe", forward.existing_destroyed == 0);
            }
            cJSON_AddItemToObject(doc, "rollback", json_direction(&back, b, a));
            char *text = pg_json_print(doc);
            fputs(text, stdout);
            free(text);
            cJSON_Delete(doc);
        } else {
            printf("paygen diff: %s -> %s\n", a, b);
            for (size_t s = 0; s < PG_STACK_COUNT; s++)
                print_text_stack(pg_stack_names[s], &forward.stacks[s]);
            print_verdict("step", a, b, &forward);
            if (adoption_applies(&forward, from.empty))
                print_adoption(a, b, &forward);
            print_verdict("rollback", b, a, &back);
        }
        rc = forward.dangerous ? 1 : 0;
        for (size_t s = 0; s < PG_STACK_COUNT; s++) {
            pg_diff_free(&forward.stacks[s]);
            pg_diff_free(&back.stacks[s]);
        }
    } else {
        pg_report(&err);
        rc = 2;
    }
    pg_errors_free(&err);
    free_side(&from);
    free_side(&to);
    pg_cli_args_free(&args);
    return rc;
}
