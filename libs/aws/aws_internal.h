/* SPDX-License-Identifier: Apache-2.0 */
/* aws_internal.h - what the files of libpaygen_aws share. */
#ifndef PG_AWS_INTERNAL_H
#define PG_AWS_INTERNAL_H

#include <paygen/aws.h>

/* lifecycle.c: the lifecycle configuration of spec's rules, if any. */
void pg_aws_lifecycle(pg_out *out, const pg_aws_bucket_spec *spec, pg_aws_bucket *made);
/* policy.c: the policy document (caller's statements, then TLS only) and the bucket policy. */
void pg_aws_policy(pg_out *out, const pg_aws_bucket_spec *spec, pg_aws_bucket *made);

#endif
