/* SPDX-License-Identifier: Apache-2.0 */
/* ecs_registry.c - the region's image repository, its lifecycle policy, and
 * the lookup of the image each colour runs (issue 17, part 3).
 *
 * Tasks pull from their own region's registry, so every active region has a
 * repository of the same name: images scanned on push, tags IMMUTABLE (a
 * tag names one image for good, so a tag in a variable pins like a digest),
 * encrypted with the region's images key. Nothing here is account-wide:
 * ECR's replication, registry scanning and registry policy are one per
 * registry (account and region), so a per-environment stack never writes
 * them (docs/deploy.md, "The image registry"). The image reaches each
 * region by a copy by digest (docs/deploy.md, step 1); the lookup below
 * makes a service wait for it and fails the plan or apply while it is not
 * there. */
#include "ecs.h"

/* The lifecycle policy as the JSON text ECR takes. Rules in ascending
 * rulePriority: the provider compares the policy with what ECR returns,
 * which ECR sorts. Untagged images expire after untagged_days (0: never);
 * of the tagged ones the newest keep_count stay, counted by push time in
 * this region (ECR UG, "Lifecycle policy properties": tagPatternList "*"
 * selects every tagged image; countNumber must be positive). */
static const char *lifecycle_policy(ecs_site *s)
{
    const ecs_config *cfg = s->cfg;
    cJSON *rules = cJSON_CreateArray();
    long priority = 1;
    if (cfg->image_untagged_days > 0) {
        cJSON *rule = cJSON_CreateObject();
        pg_set(s->out, rule,
               PG_INT("rulePriority", priority++),
               PG_STR("description",
                      pg_printf(s->out, "Expire untagged images %ld days after their push",
                                cfg->image_untagged_days)),
               PG_MAP("selection",
                      PG_STR("tagStatus", "untagged"),
                      PG_STR("countType", "sinceImagePushed"),
                      PG_STR("countUnit", "days"),
                      PG_INT("countNumber", cfg->image_untagged_days)),
               PG_MAP("action", PG_STR("type", "expire")));
        cJSON_AddItemToArray(rules, rule);
    }
    cJSON *rule = cJSON_CreateObject();
    pg_set(s->out, rule,
           PG_INT("rulePriority", priority),
           PG_STR("description",
                  pg_printf(s->out, "Keep the newest %ld tagged images", cfg->image_keep_count)),
           PG_MAP("selection",
                  PG_STR("tagStatus", "tagged"),
                  PG_STRS("tagPatternList", "*"),
                  PG_STR("countType", "imageCountMoreThan"),
                  PG_INT("countNumber", cfg->image_keep_count)),
           PG_MAP("action", PG_STR("type", "expire")));
    cJSON_AddItemToArray(rules, rule);
    cJSON *policy = cJSON_CreateObject();
    cJSON_AddItemToObject(policy, "rules", rules);
    char *text = cJSON_PrintUnformatted(policy);
    const char *kept = pg_printf(s->out, "%s", text);
    cJSON_free(text);
    cJSON_Delete(policy);
    return kept;
}

static void repository(ecs_site *s)
{
    pg_out *out = s->out;
    bool protect = pg_ctx_protected(s->ctx);
    /* The images key of the region (kms.images.*; ECR UG, "Encryption at
     * rest": the key must be in the repository's region). Until the kms
     * plugin publishes one, ECR's AWS managed key (aws/ecr); encryption is
     * fixed at creation (a change replaces the repository), so the key must
     * be there before the first apply. */
    const char *key = pg_lookup(s->ctx, s->r, "kms.images.arn");
    s->repository = pg_resource(out, s->r, "aws_ecr_repository", "api",
                                PG_STR("name", s->repository_name),
                                PG_STR("image_tag_mutability", "IMMUTABLE"),
                                PG_BLOCK("image_scanning_configuration",
                                         PG_BOOL("scan_on_push", true)),
                                PG_BLOCK("encryption_configuration",
                                         PG_STR("encryption_type", "KMS"),
                                         PG_IF(key, PG_STR("kms_key", key))),
                                /* Images go with the repository only where
                                 * nothing is protected (a rehearsal). */
                                PG_BOOL("force_delete", !protect),
                                PG_PROTECT);
    pg_resource(out, s->r, "aws_ecr_lifecycle_policy", "api",
                PG_REF("repository", s->repository, "name"),
                PG_STR("policy", lifecycle_policy(s)));
}

/* data.aws_ecr_image.<colour label>_<code>: the image var.image_<colour>
 * names, by tag or digest, in this region's repository. DescribeImages
 * fails the read when it is not there (ImageNotFoundException), which
 * fails the plan, or the apply when the repository is new in it (a read
 * that refers to a resource with changes waits for the apply). */
static void image_lookup(ecs_site *s)
{
    for (size_t c = 0; c < 2; c++) {
        const char *var = pg_printf(s->out, "var.image_%s", ecs_colours[c].name);
        const char *digest = pg_printf(s->out, "startswith(%s, \"sha256:\")", var);
        s->image[c] =
            pg_data(s->out, s->r, "aws_ecr_image", ecs_colours[c].label,
                    PG_REF("repository_name", s->repository, "name"),
                    PG_STR("image_tag", pg_printf(s->out, "${%s ? null : %s}", digest, var)),
                    PG_STR("image_digest", pg_printf(s->out, "${%s ? %s : null}", digest, var)));
    }
}

int ecs_registry(ecs_site *s)
{
    repository(s);
    image_lookup(s);
    return 0;
}

/* The precondition of a colour's service: it starts only once its image is
 * found in the region, and outside the primary only when that image is the
 * primary's (same digest): an immutable tag still names, in each
 * repository, whatever was pushed there first. */
void ecs_image_precondition(ecs_site *s, size_t c, cJSON *service)
{
    pg_out *out = s->out;
    const char *colour = ecs_colours[c].name;
    const char *here = ecs_expression(s, "image digest", pg_ref(out, s->image[c], "image_digest"));
    const char *condition, *message;
    if (s->r->primary) {
        condition = pg_printf(out, "${startswith(%s, \"sha256:\")}", here);
        message = pg_printf(out,
                            "The %s image (var.image_%s) has no digest in %s's repository %s: "
                            "copy it there by digest before this service starts (docs/deploy.md, "
                            "step 1).",
                            colour, colour, s->r->name, s->repository_name);
    } else {
        const char *primary = ecs_expression(s, "image digest",
                                             pg_ref(out, s->primary_image[c], "image_digest"));
        condition = pg_printf(out, "${%s == %s}", here, primary);
        message = pg_printf(out,
                            "The %s image (var.image_%s) in %s's repository %s is not the image "
                            "the primary region runs: copy the primary's image there by digest "
                            "(docs/deploy.md, step 1).",
                            colour, colour, s->r->name, s->repository_name);
    }
    pg_set(out, service,
           PG_MAP("lifecycle",
                  PG_BLOCK("precondition",
                           PG_STR("condition", condition),
                           PG_STR("error_message", message))));
}
