/* SPDX-License-Identifier: Apache-2.0 */
/* key.c - what every customer-managed key policy of the platform shares. */
#include "aws_internal.h"

void pg_aws_key_administration(pg_out *out, cJSON *document, const char *root)
{
    /* In a key policy, resource "*" means this key. */
    pg_block(out, document, "statement",
             PG_STR("sid", "KeyAdministration"),
             PG_STR("effect", "Allow"),
             PG_STRS("actions", "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*",
                     "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*",
                     "kms:Delete*", "kms:TagResource", "kms:UntagResource",
                     "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"),
             PG_STRS("resources", "*"),
             PG_PRINCIPALS("AWS", root));
}
